from datetime import date

import pytest
from django.db import IntegrityError, transaction

from residency.models import AuditLog, Station, Village

pytestmark = pytest.mark.django_db


def test_two_villages_with_one_code_in_a_township_are_impossible(directory):
    with pytest.raises(IntegrityError), transaction.atomic():
        Village.objects.create(township=directory["t1"], code="001", name="重复村")


def test_same_village_code_in_another_township_is_fine(directory):
    assert directory["v12"].code == "002"
    Village.objects.create(township=directory["t2"], code="002", name="另一个村")
    assert Village.objects.filter(code="002").count() == 2


def test_a_cadre_cannot_have_two_open_stations(people, directory):
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(cadre=people["cadre"], village=directory["v12"], start=date(2026, 3, 1))


def test_a_transfer_keeps_history(people, directory):
    cadre = people["cadre"]
    cadre.stations.filter(end__isnull=True).update(end=date(2026, 2, 28))
    Station.objects.create(cadre=cadre, village=directory["v12"], start=date(2026, 3, 1))
    assert cadre.stations.count() == 2


def test_station_cannot_end_before_it_starts(people, directory):
    cadre = people["cadre"]
    with pytest.raises(IntegrityError), transaction.atomic():
        cadre.stations.update(end=date(2025, 1, 1))


def test_audit_log_refuses_changes_in_python(db):
    entry = AuditLog.objects.create(action="test")
    entry.action = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_audit_log_refuses_update_in_postgresql(db, require_postgres):
    AuditLog.objects.create(action="test")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditLog.objects.update(action="changed")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditLog.objects.all().delete()
