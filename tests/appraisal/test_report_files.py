"""述职 attachments are personal documents: served only through a scoped, audited view,
stored under an unguessable name; a cadre sees only his or her own result at the meeting."""
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from appraisal.models import CadreReport
from residency.models import AuditLog
from tests.appraisal.factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(people, directory):
    meeting = make_meeting(directory["v11"])
    mine = CadreReport(meeting=meeting, cadre=people["cadre"], text="本年度住夜 60 晚")
    mine.file.save("我的述职.pdf", ContentFile(b"%PDF-1.4 mine"), save=True)
    far_meeting = make_meeting(directory["v31"])
    far = CadreReport(meeting=far_meeting, cadre=people["cadre_far"], text="外县述职")
    far.file.save("far.pdf", ContentFile(b"%PDF-1.4 far"), save=True)
    return {"meeting": meeting, "mine": mine, "far_meeting": far_meeting, "far": far}


def url(meeting, report):
    return reverse("appraisal:report-file", args=[meeting.pk, report.pk])


def test_the_stored_name_is_unguessable(reports):
    name = reports["mine"].file.name
    assert "我的述职" not in name and name.endswith(".pdf") and len(name.rsplit("/", 1)[1]) >= 30


def test_the_cadre_downloads_his_own_report_and_it_is_audited(client, people, reports):
    client.force_login(people["cadre"].user)
    response = client.get(url(reports["meeting"], reports["mine"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 mine"
    assert "attachment" in response["Content-Disposition"]
    assert AuditLog.objects.filter(action="report_file_view",
                                   object_id=str(reports["mine"].pk)).exists()


def test_the_township_admin_downloads_reports_of_his_township(client, people, reports):
    client.force_login(people["township_admin"])
    assert client.get(url(reports["meeting"], reports["mine"])).status_code == 200


def test_a_report_outside_the_scope_answers_404(client, people, reports):
    client.force_login(people["org_department"])
    assert client.get(url(reports["far_meeting"], reports["far"])).status_code == 404


def test_a_report_id_under_another_meeting_answers_404(client, people, reports):
    client.force_login(people["township_admin"])
    assert client.get(url(reports["meeting"], reports["far"])).status_code == 404


def test_a_colleague_cannot_download_another_cadres_report(client, people, reports, directory):
    from tests.residency.factories import make_cadre

    colleague = make_cadre(directory["v11"], username="colleague")
    client.force_login(colleague.user)
    assert client.get(url(reports["meeting"], reports["mine"])).status_code == 404


def test_the_village_cadre_may_not_download_reports(client, people, reports):
    client.force_login(people["village_cadre"])
    assert client.get(url(reports["meeting"], reports["mine"])).status_code == 403


def test_a_cadre_sees_only_his_own_result_at_the_meeting(client, people, reports, directory):
    from tests.residency.factories import make_cadre

    make_cadre(directory["v11"], username="colleague", name="同村同事")
    client.force_login(people["cadre"].user)
    html = client.get(reverse("appraisal:meeting-detail", args=[reports["meeting"].pk])).content.decode()
    assert "同村同事" not in html and people["cadre"].name in html


def test_the_village_cadre_sees_who_reported_but_no_scores(client, people, reports):
    client.force_login(people["village_cadre"])
    html = client.get(reverse("appraisal:meeting-detail", args=[reports["meeting"].pk])).content.decode()
    assert people["cadre"].name in html
    assert "综合满意度" not in html and "本年度住夜" not in html


def test_the_meeting_page_links_the_attachment_through_the_protected_view(client, people, reports):
    client.force_login(people["township_admin"])
    html = client.get(reverse("appraisal:meeting-detail", args=[reports["meeting"].pk])).content.decode()
    assert url(reports["meeting"], reports["mine"]) in html
    assert "/media/" not in html
