"""The data migration that turns the old per-record candidates into incidents, run for real
(MigrationExecutor) on a database holding the issue's triple candidates."""
from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("appraisal", "0002_incident_signals")]
AFTER = [("appraisal", "0004_incidents_finish")]
NIGHT = date(2026, 3, 4)
WEEK = date(2026, 3, 2)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_schema():
    """Leave the database at every app's latest migration (later migrations, e.g. appraisal
    0005, were unapplied by going back to 0002), so the tests after this one see the schema."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_triple_candidates_become_one_incident_keeping_every_decision_appeal_and_history(
        people, back_to_the_latest_schema):
    from residency import audit

    old = _migrate(BEFORE)
    try:
        Violation = old.get_model("appraisal", "Violation")
        Appeal = old.get_model("appraisal", "Appeal")
        cadre_id, other_id = people["cadre"].pk, people["cadre_other"].pk
        org_id = people["org_department"].pk
        now = timezone.now()
        # The triple for one night: missed check-in (confirmed and appealed),
        # absent spot check (confirmed), the week below the minimum (confirmed).
        missed = Violation.objects.create(cadre_id=cadre_id, occurred_on=NIGHT, source="missed_checkin",
                                          source_id=101, status="confirmed", decided_at=now,
                                          decided_by_id=org_id, decision_note="未签到属实")
        spot = Violation.objects.create(cadre_id=cadre_id, occurred_on=NIGHT, source="spot_check",
                                        source_id=202, status="confirmed", decided_at=now,
                                        decided_by_id=org_id, decision_note="暗访属实")
        week = Violation.objects.create(cadre_id=cadre_id, occurred_on=WEEK, week_start=WEEK,
                                        source="week_below_minimum", status="confirmed",
                                        decided_at=now, decided_by_id=org_id, decision_note="当周不足")
        Appeal.objects.create(violation_id=spot.pk, text="当晚在村", filed_by_id=people["cadre"].user_id)
        # Another cadre: a triple still undecided.
        c1 = Violation.objects.create(cadre_id=other_id, occurred_on=NIGHT, source="missed_checkin",
                                      source_id=103)
        c2 = Violation.objects.create(cadre_id=other_id, occurred_on=NIGHT, source="spot_check",
                                      source_id=204)
        c3 = Violation.objects.create(cadre_id=other_id, occurred_on=WEEK, week_start=WEEK,
                                      source="week_below_minimum")
        audit.record("violation_confirm", obj=missed, user=people["org_department"], note="未签到属实")
    finally:
        new = _migrate(AFTER)

    from appraisal.models import Appeal as NewAppeal
    from appraisal.models import Violation as NewViolation
    from appraisal.selectors import standing_counts
    from residency.models import AuditLog

    # One incident per cadre-night; the row with the appeal leads, the other keeps its decision.
    kept = NewViolation.objects.get(cadre_id=cadre_id, occurred_on=NIGHT, merged_into__isnull=True)
    assert kept.pk == spot.pk and kept.source == "night" and kept.status == "confirmed"
    assert sorted(kept.signals.values_list("kind", "source_id")) == [
        ("missed_checkin", 101), ("spot_check_absent", 202)]
    folded = NewViolation.objects.get(pk=missed.pk)
    assert (folded.merged_into_id, folded.status, folded.decision_note) == (spot.pk, "confirmed", "未签到属实")
    assert NewAppeal.objects.get(violation_id=spot.pk).text == "当晚在村"
    assert AuditLog.objects.filter(action="violation_confirm", object_id=str(missed.pk)).exists()
    # The decided week row is kept as it was; the undecided one is now a roster gap.
    assert NewViolation.objects.filter(pk=week.pk, source="week_below_minimum").exists()
    assert not NewViolation.objects.filter(pk=c3.pk).exists()
    # Counted: the night once, the decided week row once (down from three).
    assert standing_counts(cadre_ids=[cadre_id], year=2026)[cadre_id] == 2
    other = NewViolation.objects.filter(cadre_id=other_id, merged_into__isnull=True)
    assert [(v.pk, v.status, v.signals.count()) for v in other] == [(c1.pk, "candidate", 2)]
    assert NewViolation.objects.get(pk=c2.pk).merged_into_id == c1.pk
    assert new.get_model("appraisal", "ViolationSignal").objects.count() == 4
