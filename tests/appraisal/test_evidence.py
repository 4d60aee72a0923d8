"""The decision page shows the facts before an irreversible decision: the stay (village,
night, who published the week and when), the check-in, the night's spot checks, leave and
swaps touching the night, the visits of that night and the cadre's other incidents that
year; "下一条" goes to the next undecided incident in the reviewer's scope. The page's cost
does not grow with the records."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from appraisal import services
from appraisal.models import Violation
from residency.models import RosterWeek, Swap
from tests.appraisal.factories import make_spot_check, make_stay, make_violation
from tests.nightlog.factories import make_visit
from tests.residency.roster.factories import make_leave

YEAR = 2026
NIGHT = date(YEAR, 3, 4)
TZ = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(people, directory, households):
    cadre, admin = people["cadre"], people["township_admin"]
    stay = make_stay(cadre, directory["v11"], NIGHT)
    RosterWeek.objects.filter(pk=stay.week_id).update(published_by=admin)
    check = make_spot_check(cadre, directory["v11"], NIGHT, people["inspector"])
    check.note = "村部大门紧锁"
    check.save()
    make_leave(cadre, NIGHT, NIGHT, status="rejected")
    other_stay = make_stay(people["cadre_other"], directory["v11"], NIGHT + timedelta(days=1))
    Swap.objects.create(stay=stay, requested_by=cadre, colleague=people["cadre_other"],
                        colleague_stay=other_stay, status="rejected", reason="家中有事")
    make_visit(cadre, households["h11"], visited_at=datetime.combine(NIGHT, time(19, 40), tzinfo=TZ))
    make_violation(cadre, date(YEAR, 2, 2), status="dismissed")
    services.violation_candidates_sync(since=date(YEAR, 3, 1), until=date(YEAR, 3, 31))
    return Violation.objects.get(cadre=cadre, occurred_on=NIGHT)


def _page(client, user, violation):
    client.force_login(user)
    return client.get(reverse("appraisal:violation-detail", args=[violation.pk]))


def test_the_decision_page_shows_the_evidence_of_the_night(client, people, incident):
    page = _page(client, people["org_department"], incident)
    html = page.content.decode()
    assert page.status_code == 200
    evidence = page.context["evidence"]
    assert {s.kind for s in evidence.signals} == {"missed_checkin", "spot_check_absent"}
    for text in ("东村", "2026-03-04", people["township_admin"].official.name,  # who published
                 "未签到",  # the check-in
                 people["inspector"].official.name, "22:30", "村部大门紧锁",  # the spot check
                 "事假", "已驳回", "换班",  # leave and swap touching the night
                 "19:40", "王大明",  # the visit recorded that night
                 "2026-02-02", "不予认定"):  # the cadre's other incidents that year
        assert text in html, text
    assert 'data-testid="decision-form"' in html


def test_check_in_figures_are_shown_when_the_stay_has_them(client, people, incident):
    from residency.models import Stay

    stay = Stay.objects.get(cadre=people["cadre"], night=NIGHT)
    stay.checked_in_at = datetime.combine(NIGHT, time(21, 5), tzinfo=TZ)
    stay.save()
    html = _page(client, people["org_department"], incident).content.decode()
    assert "签到时间" in html and "21:05" in html


def test_next_goes_to_the_next_undecided_incident_in_the_reviewers_scope(client, people, incident):
    older = make_violation(people["cadre"], date(YEAR, 3, 1), status="candidate")
    make_violation(people["cadre_far"], date(YEAR, 3, 2), status="candidate")  # another county
    make_violation(people["cadre_other"], date(YEAR, 3, 3), status="confirmed")  # decided
    page = _page(client, people["township_admin"], incident)
    assert page.context["next_undecided"] == older
    assert reverse("appraisal:violation-detail", args=[older.pk]) in page.content.decode()
    # From the last one it wraps round to the first undecided (the newest night: cadre2's
    # missed stay of 5 March).
    newest = Violation.objects.get(cadre=people["cadre_other"], occurred_on=date(YEAR, 3, 5))
    assert _page(client, people["township_admin"], older).context["next_undecided"] == newest
    assert _page(client, people["township_admin"], newest).context["next_undecided"] == incident


def test_the_decision_page_costs_the_same_with_many_more_records(client, people, directory, households,
                                                                 incident, django_assert_max_num_queries):
    client.force_login(people["org_department"])
    url = reverse("appraisal:violation-detail", args=[incident.pk])
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    for i in range(5):
        make_spot_check(people["cadre"], directory["v11"], NIGHT, people["inspector"])
        make_visit(people["cadre"], households["h11"],
                   visited_at=datetime.combine(NIGHT, time(20, i), tzinfo=TZ))
        make_violation(people["cadre"], date(YEAR, 4, 1 + i), status="candidate")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
