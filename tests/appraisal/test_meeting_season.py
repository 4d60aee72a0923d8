"""The meeting season (rule R3): villages without this year's 述职评议大会 with their cadres
and organiser, and a meeting that cannot close while a cadre has no report or no rating
unless the organiser records why."""
from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appraisal import services
from appraisal.models import ReviewMeeting
from appraisal.selectors import meeting_gaps, villages_without_meeting
from residency.access.scoping import ALL, Scope
from tests.appraisal.factories import make_meeting

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 15)


def test_villages_without_a_meeting_held_this_year_with_their_cadres_and_organisers(
        people, directory):
    make_meeting(directory["v11"], held_on=date(2026, 11, 10))           # held
    planned = make_meeting(directory["v12"], held_on=date(2026, 11, 30))  # arranged, later
    make_meeting(directory["v21"], year=2025, held_on=date(2025, 11, 30))  # last year's
    rows = {r.village.name: r for r in villages_without_meeting(
        year=2026, today=TODAY, scope=Scope(role=None, level=ALL))}
    assert set(rows) == {"西村", "南社区", "外村"}
    assert rows["西村"].meeting == planned and rows["南社区"].meeting is None
    assert [c.name for c in rows["西村"].cadres] == ["cadre2"]
    assert [o.user.username for o in rows["西村"].organisers] == ["tadmin"]
    assert rows["南社区"].organisers == []  # nobody to remind: the page says so


def test_the_season_page_shows_a_township_admin_only_the_own_villages(client, people, directory,
                                                                     django_assert_max_num_queries):
    client.force_login(people["township_admin"])
    with django_assert_max_num_queries(12) as few:
        response = client.get(reverse("appraisal:meeting-season"), {"year": 2026})
    names = [r.village.name for r in response.context["rows"]]
    assert names == ["东村", "西村"]
    html = response.content.decode()
    assert "未安排" in html and "cadre1" in html and "tadmin" in html
    from tests.residency.factories import make_cadre

    for i in range(4):  # more villages and cadres: the same number of queries
        village = directory["t1"].villages.create(code=f"6{i}", name=f"季村{i}")
        make_cadre(village, username=f"season{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("appraisal:meeting-season"), {"year": 2026})
    assert len(response.context["rows"]) == 6


@pytest.fixture
def meeting(people, directory):
    return make_meeting(directory["v11"], held_on=date(2026, 11, 10))


def test_a_meeting_with_a_cadre_missing_a_report_or_a_rating_does_not_close(meeting, people):
    admin, cadre = people["township_admin"], people["cadre"]
    assert [(g.cadre, g.has_report, g.has_rating) for g in meeting_gaps(meeting=meeting)] == [
        (cadre, False, False)]
    with pytest.raises(ValidationError, match="cadre1\\(未述职、未测评\\)"):
        services.meeting_close(meeting=meeting, by=admin)
    services.report_submit(meeting=meeting, cadre=cadre, text="全年住夜 80 晚", by=cadre.user)
    with pytest.raises(ValidationError, match="未测评"):
        services.meeting_close(meeting=meeting, by=admin, reason="   ")
    assert ReviewMeeting.objects.get(pk=meeting.pk).status == "open"


def test_a_complete_meeting_closes_without_a_reason(meeting, people):
    admin, cadre = people["township_admin"], people["cadre"]
    services.report_submit(meeting=meeting, cadre=cadre, text="述职", by=cadre.user)
    services.tally_set(meeting=meeting, cadre=cadre, kind="party", satisfied=8, basic=1,
                       unsatisfied=0, by=admin)
    closed = services.meeting_close(meeting=meeting, by=admin)
    assert closed.status == "closed" and closed.close_reason == ""


def test_the_organiser_may_close_with_gaps_by_recording_why(meeting, people):
    closed = services.meeting_close(meeting=meeting, by=people["township_admin"],
                                    reason="cadre1 住院,未能到会述职")
    assert closed.status == "closed" and closed.close_reason == "cadre1 住院,未能到会述职"


def test_the_close_page_lists_the_gaps_and_shows_a_refusal_on_the_page(client, meeting, people):
    client.force_login(people["township_admin"])
    url = reverse("appraisal:meeting-close", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="close-gaps"' in page and "未述职" in page and 'name="reason"' in page
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "请补齐,或说明原因后再结束" in refused.content.decode()
    done = client.post(url, {"reason": "干部住院"})
    assert done.status_code == 302
    detail = client.get(reverse("appraisal:meeting-detail", args=[meeting.pk])).content.decode()
    assert "干部住院" in detail
