"""Who reaches a review meeting and its 述职 page: a cadre follows the meeting's cadre list
(the cadres stationed in the village that year), not only his current station; the
organiser who names no cadre is sent back to the meeting page to choose one."""
from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse

from appraisal.models import CadreReport
from appraisal.selectors import meeting_cadres
from residency.models import Station
from tests.appraisal.factories import make_meeting

YEAR = 2026
pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(directory, people):
    """people["cadre"] served in v11 until June, then moved to v12 (same township)."""
    cadre = people["cadre"]
    Station.objects.filter(cadre=cadre).update(end=date(YEAR, 6, 30))
    Station.objects.create(cadre=cadre, village=directory["v12"], start=date(YEAR, 7, 1))
    return cadre


def test_a_cadre_who_moved_villages_is_listed_in_both_meetings_of_the_year(directory, moved):
    old, new = make_meeting(directory["v11"]), make_meeting(directory["v12"])
    assert moved in meeting_cadres(meeting=old)
    assert moved in meeting_cadres(meeting=new)


def test_a_cadre_who_moved_reaches_the_old_villages_meeting_and_submits_his_report(
        client, directory, moved):
    old = make_meeting(directory["v11"])
    client.force_login(moved.user)
    listed = client.get(reverse("appraisal:meeting-list") + f"?year={YEAR}")
    assert old in listed.context["object_list"]
    assert client.get(reverse("appraisal:meeting-detail", args=[old.pk])).status_code == 200
    url = reverse("appraisal:meeting-report", args=[old.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "上半年在东村住夜 30 晚"}).status_code == 302
    assert CadreReport.objects.get(meeting=old, cadre=moved).text == "上半年在东村住夜 30 晚"


def test_a_cadre_who_moved_downloads_his_own_report_file_at_the_old_meeting(client, directory,
                                                                             moved):
    old = make_meeting(directory["v11"])
    report = CadreReport(meeting=old, cadre=moved, text="述职")
    report.file.save("r.pdf", ContentFile(b"%PDF-1.4 mine"), save=True)
    client.force_login(moved.user)
    response = client.get(reverse("appraisal:report-file", args=[old.pk, report.pk]))
    assert response.status_code == 200


def test_a_cadre_does_not_reach_meetings_whose_list_does_not_hold_him(client, directory, people,
                                                                      moved):
    before_he_came = make_meeting(directory["v12"], year=YEAR - 1)  # he came to v12 in 2026
    other_township = make_meeting(directory["v21"])
    client.force_login(moved.user)
    for meeting in (before_he_came, other_township):
        assert client.get(reverse("appraisal:meeting-detail", args=[meeting.pk])).status_code == 404
        assert client.get(reverse("appraisal:meeting-report", args=[meeting.pk])).status_code == 404
    listed = client.get(reverse("appraisal:meeting-list") + f"?year={YEAR - 1}")
    assert list(listed.context["object_list"]) == []


def test_a_colleague_stationed_elsewhere_all_year_does_not_reach_the_meeting(client, directory,
                                                                             people):
    meeting = make_meeting(directory["v11"])
    client.force_login(people["cadre_other"].user)  # v12 all year
    assert client.get(reverse("appraisal:meeting-detail", args=[meeting.pk])).status_code == 404
    response = client.post(reverse("appraisal:meeting-report", args=[meeting.pk]), {"text": "x"})
    assert response.status_code == 404
    assert not CadreReport.objects.exists()


@pytest.mark.parametrize("query", ["", "?cadre=", "?cadre=abc", "?cadre=999999"])
def test_the_organiser_naming_no_cadre_of_the_meeting_is_sent_to_the_meeting_page(
        client, directory, people, query):
    meeting = make_meeting(directory["v11"])
    client.force_login(people["township_admin"])
    response = client.get(reverse("appraisal:meeting-report", args=[meeting.pk]) + query)
    assert response.status_code == 302
    assert response.url == reverse("appraisal:meeting-detail", args=[meeting.pk])
    assert any("录入" in str(m) for m in get_messages(response.wsgi_request))
    posted = client.post(reverse("appraisal:meeting-report", args=[meeting.pk]) + query,
                         {"text": "代录述职"})
    assert posted.status_code == 302
    assert not CadreReport.objects.exists()


def test_the_organiser_enters_a_report_for_a_named_cadre(client, directory, people):
    meeting = make_meeting(directory["v11"])
    client.force_login(people["township_admin"])
    url = reverse("appraisal:meeting-report", args=[meeting.pk])
    assert client.get(url + f"?cadre={people['cadre'].pk}").status_code == 200
    assert client.post(url, {"cadre": people["cadre"].pk, "text": "代录述职"}).status_code == 302
    assert CadreReport.objects.get(meeting=meeting).cadre == people["cadre"]
