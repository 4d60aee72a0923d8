"""Pages: roles, scope (404 outside), clear refusals, public pages, and query counts that do
not grow with the data."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from appraisal import services
from appraisal.models import Appraisal, Ballot, GoldenAward, Violation
from residency.models import AuditLog
from tests.appraisal.factories import make_meeting, make_stay, make_violation
from tests.residency.factories import make_cadre

YEAR = 2026
pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def grow(directory, people, n: int) -> None:
    """n more cadres in v11 with stays, violations, a tally and a grade each."""
    meeting = make_meeting(directory["v11"]) if not directory["v11"].review_meetings.exists() \
        else directory["v11"].review_meetings.get()
    for i in range(n):
        cadre = make_cadre(directory["v11"], username=f"extra{Violation.objects.count()}_{i}")
        make_stay(cadre, directory["v11"], date(YEAR, 3, 2), checked_in=True)
        make_violation(cadre, date(YEAR, 3, 3), status="candidate")
        make_violation(cadre, date(YEAR, 3, 4))
        services.tally_set(meeting=meeting, cadre=cadre, kind="party", satisfied=3, basic=1,
                           unsatisfied=0, by=people["township_admin"])
        Appraisal.objects.create(cadre=cadre, year=YEAR, final_grade="competent",
                                 set_by=people["org_department"])


PAGES = [
    ("appraisal:violation-list", {}),
    ("appraisal:appraisal-list", {}),
    ("appraisal:meeting-list", {}),
    ("appraisal:golden-list", {}),
    ("appraisal:report-stats", {}),
]


@pytest.mark.parametrize("name,kwargs", PAGES)
def test_org_pages_cost_the_same_queries_for_three_times_the_rows(client, directory, people, name,
                                                                  kwargs, django_assert_max_num_queries):
    login(client, people["org_department"])
    grow(directory, people, 3)
    url = reverse(name, kwargs=kwargs) + f"?year={YEAR}"
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    grow(directory, people, 9)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_meeting_and_appraisal_detail_pages_do_not_grow(client, directory, people,
                                                       django_assert_max_num_queries):
    login(client, people["org_department"])
    grow(directory, people, 3)
    meeting = directory["v11"].review_meetings.get()
    urls = [reverse("appraisal:meeting-detail", args=[meeting.pk]),
            reverse("appraisal:appraisal-detail", args=[people["cadre"].pk, YEAR])]
    for url in urls:
        with django_assert_max_num_queries(40) as small:
            assert client.get(url).status_code == 200
        grow(directory, people, 9)
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(url).status_code == 200


def test_objects_outside_the_scope_answer_404(client, directory, people):
    far = make_violation(people["cadre_far"], date(YEAR, 3, 1), status="candidate")
    far_meeting = make_meeting(directory["v31"])
    login(client, people["township_admin"])
    assert client.get(reverse("appraisal:violation-detail", args=[far.pk])).status_code == 404
    assert client.post(reverse("appraisal:violation-decide", args=[far.pk]),
                       {"decision": "confirm", "note": "x"}).status_code == 404
    assert client.get(reverse("appraisal:meeting-detail", args=[far_meeting.pk])).status_code == 404
    login(client, people["org_department"])
    assert client.get(reverse("appraisal:appraisal-detail",
                              args=[people["cadre_far"].pk, YEAR])).status_code == 404
    assert Violation.objects.get(pk=far.pk).status == "candidate"


def test_a_cadre_sees_only_his_own_violations(client, people):
    mine = make_violation(people["cadre"], date(YEAR, 3, 1))
    other = make_violation(people["cadre_other"], date(YEAR, 3, 1))
    login(client, people["cadre"].user)
    page = client.get(reverse("appraisal:violation-list") + f"?year={YEAR}")
    assert list(page.context["object_list"]) == [mine]
    assert client.get(reverse("appraisal:violation-detail", args=[other.pk])).status_code == 404


def test_wrong_roles_get_403_and_anonymous_the_login_page(client, people):
    assert client.get(reverse("appraisal:appraisal-list")).status_code == 302
    login(client, people["cadre"].user)
    assert client.get(reverse("appraisal:report-xlsx")).status_code == 403
    assert client.get(reverse("appraisal:rules-update")).status_code == 403


def test_township_admin_confirms_through_the_page(client, people):
    v = make_violation(people["cadre"], date(YEAR, 3, 1), status="candidate")
    login(client, people["township_admin"])
    bad = client.post(reverse("appraisal:violation-decide", args=[v.pk]), {"decision": "confirm"})
    assert bad.status_code == 400 and "这个字段是必填项" in bad.content.decode()
    ok = client.post(reverse("appraisal:violation-decide", args=[v.pk]),
                     {"decision": "confirm", "note": "暗访属实"})
    assert ok.status_code == 302
    assert Violation.objects.get(pk=v.pk).status == "confirmed"


def test_the_grade_form_refuses_excellent_with_a_clear_message(client, people):
    make_violation(people["cadre"], date(YEAR, 3, 1))
    login(client, people["org_department"])
    response = client.post(reverse("appraisal:appraisal-grade", args=[people["cadre"].pk, YEAR]),
                           {"final_grade": "excellent"})
    assert response.status_code == 400
    assert "不得评为优秀" in response.content.decode()
    assert not Appraisal.objects.exists()


def test_province_viewer_reads_but_cannot_grade(client, people):
    login(client, people["province_viewer"])
    assert client.get(reverse("appraisal:appraisal-list")).status_code == 200
    assert client.post(reverse("appraisal:appraisal-grade", args=[people["cadre"].pk, YEAR]),
                       {"final_grade": "competent"}).status_code == 403


@pytest.mark.parametrize("role", ["province_viewer", "system_admin"])
def test_viewers_read_the_golden_list_but_selecting_is_forbidden_not_missing(client, people, role):
    login(client, people[role])
    url = reverse("appraisal:golden-list")
    assert client.get(url + f"?year={YEAR}").status_code == 200
    response = client.post(url, {"year": YEAR, "cadre": people["cadre"].pk})
    assert response.status_code == 403
    assert not GoldenAward.objects.exists()


def test_the_xlsx_is_a_background_export_that_opens_and_is_audited(
        client, people, django_capture_on_commit_callbacks):
    from residency.models import ExportJob

    login(client, people["org_department"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("residency:export-create", kwargs={"kind": "appraisal-xlsx"}),
                    {"year": YEAR})
    job = ExportJob.objects.get()
    response = client.get(reverse("residency:export-download", args=[job.pk]))
    assert response.status_code == 200
    wb = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)
    users = [r[1] for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert sorted(users) == ["cadre1", "cadre2"]  # county A only
    assert AuditLog.objects.filter(action="export_download", user=people["org_department"]).exists()


def test_the_csv_download_streams_and_is_audited(client, people):
    login(client, people["org_department"])
    response = client.get(reverse("appraisal:report-csv") + f"?year={YEAR}")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("cadre,")
    assert AuditLog.objects.filter(action="export_appraisal_csv").exists()


# --- the public ballot page -------------------------------------------------------------


@pytest.fixture
def code(directory, people):
    meeting = make_meeting(directory["v11"])
    return meeting, services.ballot_codes_generate(meeting=meeting, kind="resident", count=2,
                                                   by=people["township_admin"])


def test_a_representative_votes_without_logging_in(client, code, people):
    meeting, codes = code
    url = reverse("appraisal:ballot")
    step1 = client.post(url, {"code": codes[0]})
    assert step1.status_code == 200 and "cadre1" in step1.content.decode()
    done = client.post(url, {"code": codes[0], "submit_ballot": "1",
                             f"cadre_{people['cadre'].pk}": "satisfied"})
    assert done.status_code == 200 and "投票成功" in done.content.decode()
    assert Ballot.objects.filter(meeting=meeting).count() == 1
    again = client.post(url, {"code": codes[0]})
    assert again.status_code == 400 and "已经使用过" in again.content.decode()


def test_unknown_code_and_closed_meeting_are_refused_clearly(client, code, people):
    meeting, codes = code
    url = reverse("appraisal:ballot")
    assert "投票码无效" in client.post(url, {"code": "XXXXX-YYYYY"}).content.decode()
    services.meeting_close(meeting=meeting, by=people["township_admin"], reason="干部请假")
    assert "已结束" in client.post(url, {"code": codes[1]}).content.decode()


def test_guessing_codes_is_rate_limited(client, code):
    cache.clear()
    url = reverse("appraisal:ballot")
    statuses = [client.post(url, {"code": f"AAAAA-{i:05d}"}).status_code for i in range(22)]
    assert statuses[:20] == [400] * 20 and statuses[-1] == 429
    _meeting, codes = code
    assert client.post(url, {"code": codes[0]}).status_code == 429
    cache.clear()


def test_public_golden_list_needs_no_login_and_shows_no_personal_data(client, people):
    GoldenAward.objects.create(cadre=people["cadre"], year=YEAR, selected_by=people["org_department"])
    body = client.get(reverse("appraisal:golden-public", args=[YEAR])).content.decode()
    assert "cadre1" in body and "东村" in body and "甲镇" in body
    assert "13800000001" not in body


def test_a_cadre_submits_his_report_from_the_phone(client, directory, people):
    meeting = make_meeting(directory["v11"])
    login(client, people["cadre"].user)
    url = reverse("appraisal:meeting-report", args=[meeting.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "全年住夜 80 晚"}).status_code == 302
    assert meeting.reports.get().text == "全年住夜 80 晚"


def test_province_viewer_reads_statistics_one_county_at_a_time(client, directory, people):
    login(client, people["province_viewer"])
    first = client.get(reverse("appraisal:report-stats") + f"?year={YEAR}")
    assert first.context["stats"]["cadres"] == 1  # 外县 (code 330400) comes first
    other = client.get(reverse("appraisal:report-stats")
                       + f"?year={YEAR}&county={directory['county'].pk}")
    assert other.context["stats"]["cadres"] == 2
    csv_body = b"".join(client.get(reverse("appraisal:report-csv")
                                   + f"?year={YEAR}&county={directory['county'].pk}").streaming_content)
    assert sorted(line.split(",")[0] for line in csv_body.decode("utf-8-sig").splitlines()[1:]) == [
        "cadre1", "cadre2"]


def test_tally_ballot_and_public_pages_do_not_grow_with_the_cadres(client, directory, people,
                                                                   django_assert_max_num_queries):
    grow(directory, people, 3)
    meeting = directory["v11"].review_meetings.get()
    code = services.ballot_codes_generate(meeting=meeting, kind="party", count=1,
                                          by=people["township_admin"])[0]
    for cadre in meeting.tallies.values_list("cadre", flat=True).distinct():
        GoldenAward.objects.get_or_create(cadre_id=cadre, year=YEAR,
                                          defaults={"selected_by": people["org_department"]})
    v = Violation.objects.filter(cadre__township=directory["t1"]).first()

    def pages():
        client.force_login(people["township_admin"])
        yield "get", reverse("appraisal:meeting-tally", args=[meeting.pk]), {}
        yield "get", reverse("appraisal:violation-detail", args=[v.pk]), {}
        yield "get", reverse("appraisal:violation-create"), {}
        client.logout()
        yield "post", reverse("appraisal:ballot"), {"code": code}
        yield "get", reverse("appraisal:golden-public", args=[YEAR]), {}

    small = []
    for method, url, data in pages():
        with django_assert_max_num_queries(40) as ctx:
            assert getattr(client, method)(url, data).status_code == 200
        small.append(len(ctx.captured_queries))
    grow(directory, people, 9)
    for cadre in meeting.tallies.values_list("cadre", flat=True).distinct():
        GoldenAward.objects.get_or_create(cadre_id=cadre, year=YEAR,
                                          defaults={"selected_by": people["org_department"]})
    for (method, url, data), limit in zip(pages(), small, strict=True):
        with django_assert_max_num_queries(limit):
            assert getattr(client, method)(url, data).status_code == 200


def test_a_cadre_reaches_his_own_appraisal_from_home_but_not_a_colleagues(client, people):
    login(client, people["cadre"].user)
    home = client.get("/").content.decode()
    year = timezone.localdate().year
    own = reverse("appraisal:appraisal-detail", args=[people["cadre"].pk, year])
    assert own in home
    assert client.get(own).status_code == 200
    other = reverse("appraisal:appraisal-detail", args=[people["cadre_other"].pk, year])
    assert client.get(other).status_code == 404


HUGE = "9" * 23  # beyond any database integer


@pytest.mark.parametrize("role,path", [
    ("org_department", f"appraisal:appraisal-list?township={HUGE}&page=x&year=abc"),
    ("org_department", f"appraisal:meeting-list?township={HUGE}&year=99999999999"),
    ("org_department", "appraisal:meeting-list?township=²"),
    ("org_department", f"appraisal:report-csv?township={HUGE}"),
    ("org_department", f"appraisal:report-xlsx?township={HUGE}&year=1"),
    ("org_department", "appraisal:violation-list?status=x&source=y&year=-1"),
    ("province_viewer", f"appraisal:golden-list?county={HUGE}&page=z"),
    ("province_viewer", f"appraisal:report-stats?county={HUGE}&year=x"),
    ("cadre", f"appraisal:meeting-list?township={HUGE}"),
])
def test_bad_query_strings_answer_a_page_never_a_server_error(client, people, role, path):
    name, query = path.split("?", 1)
    user = people[role].user if role == "cadre" else people[role]
    login(client, user)
    assert client.get(reverse(name) + "?" + query, follow=True).status_code == 200


def test_bad_ids_in_forms_answer_clearly_never_a_server_error(client, directory, people):
    meeting = make_meeting(directory["v11"])
    login(client, people["org_department"])
    golden = client.post(reverse("appraisal:golden-list"), {"year": YEAR, "cadre": HUGE})
    assert golden.status_code == 404
    report = reverse("appraisal:meeting-report", args=[meeting.pk])
    assert client.get(report + f"?cadre={HUGE}").status_code == 302
    assert client.get(report + "?cadre=²").status_code == 302
    tally = client.post(reverse("appraisal:meeting-tally", args=[meeting.pk]),
                        {f"t_{people['cadre'].pk}_party_satisfied": "²"})
    assert tally.status_code == 400 and "整数" in tally.content.decode()


def test_the_township_admin_sees_roster_gaps_on_the_violation_list_not_as_violations(client, people,
                                                                                    directory):
    from datetime import timedelta

    from tests.residency.roster.factories import make_stay as make_roster_stay
    from tests.residency.roster.factories import make_week

    today = timezone.localdate()
    this_week = make_week(directory["t1"], today - timedelta(days=today.weekday()), published=True)
    make_roster_stay(this_week, people["cadre"], directory["v11"], today)
    client.force_login(people["township_admin"])
    html = client.get(reverse("appraisal:violation-list")).content.decode()
    assert 'data-testid="roster-gaps"' in html and people["cadre_other"].name in html
    assert not Violation.objects.exists()
