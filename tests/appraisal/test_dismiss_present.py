"""Dismissing a finding with "当晚在岗" corrects the night's stay to present, so the night
counts towards nights stayed (issue 10, corrections)."""
from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from appraisal import services
from residency.models import AuditLog, Stay
from residency.roster.selectors import cadre_nights
from tests.appraisal.factories import make_stay, make_violation

pytestmark = pytest.mark.django_db

NIGHT = date(2026, 3, 3)


def test_dismissing_as_present_restores_the_night(people, directory):
    make_stay(people["cadre"], directory["v11"], NIGHT)
    violation = make_violation(people["cadre"], NIGHT, status="candidate")
    assert cadre_nights(cadre_ids=[people["cadre"].pk], year=2026, until=date(2026, 12, 31))[
        people["cadre"].pk] == (1, 0)
    services.violation_dismiss(violation=violation, by=people["org_department"], note="村干部证明在村",
                               present=True)
    stay = Stay.objects.get(cadre=people["cadre"], night=NIGHT)
    assert (stay.presence, stay.presence_by) == ("present", people["org_department"])
    assert "村干部证明在村" in stay.presence_reason
    assert cadre_nights(cadre_ids=[people["cadre"].pk], year=2026, until=date(2026, 12, 31))[
        people["cadre"].pk] == (1, 1)
    assert AuditLog.objects.filter(action="stay_presence_correct").exists()


def test_a_plain_dismissal_leaves_the_stay_alone(people, directory):
    make_stay(people["cadre"], directory["v11"], NIGHT)
    violation = make_violation(people["cadre"], NIGHT, status="candidate")
    services.violation_dismiss(violation=violation, by=people["org_department"], note="不予认定")
    assert Stay.objects.get(cadre=people["cadre"], night=NIGHT).presence == ""


def test_dismissing_as_present_without_a_stay_is_refused_and_nothing_is_decided(people):
    violation = make_violation(people["cadre"], NIGHT, status="candidate")
    with pytest.raises(ValidationError):
        services.violation_dismiss(violation=violation, by=people["org_department"], note="在村",
                                   present=True)
    violation.refresh_from_db()
    assert violation.status == "candidate"


def test_the_decision_page_offers_dismissal_as_present(client, people, directory):
    make_stay(people["cadre"], directory["v11"], NIGHT)
    violation = make_violation(people["cadre"], NIGHT, status="candidate")
    client.force_login(people["org_department"])
    from django.urls import reverse

    client.post(reverse("appraisal:violation-decide", args=[violation.pk]),
                {"decision": "dismiss_present", "note": "有证明"})
    assert Stay.objects.get(cadre=people["cadre"], night=NIGHT).presence == "present"
