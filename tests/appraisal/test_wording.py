"""The pages state rule R3 in DOMAIN.md's words: 1 次 当年度考核不得评为优秀等次, 2 次
诫勉谈话, 3 次及以上 组织处理; and closed meetings say they are locked instead of offering
forms that would be refused."""
from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from appraisal import services
from appraisal.models import CadreReport, PenaltyAction
from tests.appraisal.factories import make_meeting, make_violation

YEAR = 2026
LEGEND = ("1 次,当年度考核不得评为优秀等次;2 次,诫勉谈话;3 次及以上,组织处理。")
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name,args", [
    ("appraisal:appraisal-list", []),
    ("appraisal:violation-list", []),
    ("appraisal:appraisal-detail", ["cadre", YEAR]),
])
def test_the_ladder_is_explained_in_the_domains_words(client, people, name, args):
    client.force_login(people["org_department"])
    args = [people["cadre"].pk if a == "cadre" else a for a in args]
    assert LEGEND in client.get(reverse(name, args=args) + f"?year={YEAR}").content.decode()


def test_one_standing_violation_reads_as_no_excellent_grade_this_year(client, people):
    make_violation(people["cadre"], date(YEAR, 3, 1))
    client.force_login(people["org_department"])
    html = client.get(reverse("appraisal:appraisal-detail", args=[people["cadre"].pk, YEAR]))
    assert "当年度考核不得评为优秀等次" in html.content.decode()
    listing = client.get(reverse("appraisal:appraisal-list") + f"?year={YEAR}").content.decode()
    assert "当年度考核不得评为优秀等次" in listing


def test_recording_a_talk_before_two_violations_is_refused_in_the_domains_words(client, people):
    make_violation(people["cadre"], date(YEAR, 3, 1))
    client.force_login(people["org_department"])
    response = client.post(reverse("appraisal:penalty-create", args=[people["cadre"].pk, YEAR]),
                           {"kind": "talk", "held_on": "2026-03-10", "held_by": "组织部"})
    assert response.status_code == 400
    assert "2026 年度已认定的违规不足 2 次,不需要诫勉谈话" in response.content.decode()
    assert not PenaltyAction.objects.exists()


def test_a_closed_meetings_report_page_shows_the_report_read_only(client, directory, people):
    meeting = make_meeting(directory["v11"])
    services.report_submit(meeting=meeting, cadre=people["cadre"], text="全年住夜 80 晚",
                           by=people["cadre"].user)
    services.meeting_close(meeting=meeting, by=people["township_admin"], reason="干部请假")
    client.force_login(people["cadre"].user)
    html = client.get(reverse("appraisal:meeting-report", args=[meeting.pk])).content.decode()
    assert "评议大会已结束,述职不能再修改" in html and "全年住夜 80 晚" in html
    assert "保存述职" not in html
    response = client.post(reverse("appraisal:meeting-report", args=[meeting.pk]), {"text": "改"})
    assert response.status_code == 400 and "已结束" in response.content.decode()
    assert CadreReport.objects.get().text == "全年住夜 80 晚"


def test_a_closed_meetings_tally_page_is_locked(client, directory, people):
    meeting = make_meeting(directory["v11"], status="closed")
    client.force_login(people["township_admin"])
    html = client.get(reverse("appraisal:meeting-tally", args=[meeting.pk])).content.decode()
    assert "纸质票统计不能再修改" in html and "<fieldset disabled>" in html


def test_a_decision_names_the_official_not_his_login(client, people):
    from residency.models import Official

    Official.objects.filter(user=people["township_admin"]).update(name="冯镇管理员")
    violation = make_violation(people["cadre"], date(YEAR, 3, 1), status="candidate")
    services.violation_confirm(violation=violation, by=people["township_admin"], note="暗访属实")
    client.force_login(people["org_department"])
    html = client.get(reverse("appraisal:violation-detail", args=[violation.pk])).content.decode()
    assert "冯镇管理员" in html and people["township_admin"].username not in html


def test_the_penalty_form_shows_only_while_a_due_step_is_unrecorded(client, people):
    for day in (1, 2):
        make_violation(people["cadre"], date(YEAR, 3, day))
    client.force_login(people["org_department"])
    url = reverse("appraisal:appraisal-detail", args=[people["cadre"].pk, YEAR])
    before = client.get(url).content.decode()
    assert "登记诫勉谈话/组织处理" in before and "应谈话,尚未登记" in before  # shows as due
    services.penalty_action_record(cadre=people["cadre"], year=YEAR, kind="talk",
                                   held_on=date(YEAR, 3, 10), held_by="组织部副部长",
                                   by=people["org_department"])
    html = client.get(url).content.decode()
    assert "登记诫勉谈话/组织处理" not in html and "应谈话,尚未登记" not in html
    assert "已于 2026-03-10 由 组织部副部长 谈话" in html
