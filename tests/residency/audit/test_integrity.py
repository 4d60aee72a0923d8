"""The audit log cannot be rewritten: not through the ORM, not on SQLite, not by TRUNCATE on
PostgreSQL, and not by the application's own database role in the documented layout. Rows are
kept at least 180 days. The organisation department reads every row of its county."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from residency import audit
from residency.models import AuditLog
from residency.privacy.purge import purge
from tests.residency.factories import PASSWORD, make_official

pytestmark = pytest.mark.django_db


def test_updating_audit_rows_is_refused_by_the_database(db):
    AuditLog.objects.create(action="login", username="cadre1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.update(username="someone-else")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.update(user=None, success=False)  # detaching may change nothing else
    assert AuditLog.objects.get().username == "cadre1"


def test_deleting_audit_rows_is_refused_by_the_database(db):
    AuditLog.objects.create(action="login", username="cadre1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.all()._raw_delete(AuditLog.objects.db)
    assert AuditLog.objects.count() == 1


def test_a_deleted_user_is_still_detached_from_its_rows(people):
    user = people["cadre_far"].user
    audit.record("login", user=user)
    people["cadre_far"].delete()
    user.delete()
    assert AuditLog.objects.get(username="cadre3").user_id is None


def test_truncate_is_refused_on_postgresql(require_postgres, db):
    AuditLog.objects.create(action="login", username="cadre1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE residency_auditlog")
    assert AuditLog.objects.count() == 1


def test_rows_younger_than_180_days_survive_the_purge(db):
    now = timezone.now()
    young = AuditLog.objects.create(action="login", username="young", at=now - timedelta(days=179))
    old = AuditLog.objects.create(action="login", username="old", at=now - timedelta(days=181))
    purge(AuditLog.objects.all())
    assert list(AuditLog.objects.values_list("pk", flat=True)) == [young.pk]
    assert not AuditLog.objects.filter(pk=old.pk).exists()


def test_the_retention_command_deletes_only_rows_past_the_retention(db, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.AUDIT_LOG_RETENTION_DAYS = 365
    now = timezone.now()
    for days in (10, 200, 400):
        AuditLog.objects.create(action="login", username=f"d{days}", at=now - timedelta(days=days))
    call_command("purge_audit_log", stdout=StringIO())
    assert sorted(AuditLog.objects.values_list("username", flat=True)) == ["d10", "d200"]


def test_the_retention_cannot_be_set_below_180_days(db, settings):
    settings.AUDIT_LOG_RETENTION_DAYS = 30
    AuditLog.objects.create(action="login", username="young", at=timezone.now() - timedelta(days=100))
    purge(AuditLog.objects.all())
    assert AuditLog.objects.filter(username="young").exists()


# --- the organisation department reads every row of its county --------------------------


def test_the_org_department_sees_every_row_of_its_county_anonymous_ones_included(
        client, people, directory, households):
    d = directory
    client.post(reverse("login"), {"username": "13800000001", "password": "wrong-pass1"})
    client.post(reverse("login"), {"username": "nobody-at-all", "password": "wrong-pass1"})
    for role in ("village_cadre", "inspector"):
        client.force_login(people[role])
        client.get(reverse("home"))
        client.post(reverse("logout"))
    client.force_login(people["province_viewer"])
    client.get(reverse("nightlog:household-detail-full", args=[households["h11"].pk]))
    audit.record("export_visits", obj=households["h31"], user=people["province_viewer"])
    other_county_org = make_official("org_department", username="org2", county=d["other_county"])

    client.force_login(people["org_department"])
    rows = set(AuditLog.objects.filter(
        pk__in=[r.pk for r in client.get(reverse("residency:auditlog-list")
                                         ).context["object_list"]]
    ).values_list("action", "username"))
    assert ("login_failed", "13800000001") in rows  # anonymous, typed the cadre's phone
    assert ("logout", "vcadre") in rows and ("logout", "insp") in rows
    assert ("household_view", "prov") in rows  # a viewer reading this county's household
    assert ("login_failed", "nobody-at-all") not in rows  # names no account: no county
    assert ("export_visits", "prov") not in rows  # the other county's household

    client.force_login(other_county_org)
    other = {r.action for r in client.get(reverse("residency:auditlog-list")).context["object_list"]}
    assert "export_visits" in other and "household_view" not in other


# --- the documented production layout: the app's role may only INSERT and SELECT ------


def test_the_application_role_cannot_rewrite_the_audit_log(require_postgres, db):
    """As docs/OPERATIONS.md sets it up: the owner migrates and runs ``grant_app_role``; the
    web and worker processes connect as the application role."""
    import psycopg2
    from psycopg2 import errors

    from residency.management.commands.grant_app_role import grant_statements

    settings_dict = connection.settings_dict
    dbname = settings_dict["NAME"]
    role = f"{dbname}_app"[:60]
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    owner = psycopg2.connect(host=host, port=port, user=settings_dict["USER"],
                             password=settings_dict["PASSWORD"] or None, dbname=dbname)
    owner.autocommit = True
    owner_cursor = owner.cursor()
    try:
        owner_cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        owner_cursor.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{PASSWORD}'")
        for statement in grant_statements(role):  # committed, unlike this test's transaction
            owner_cursor.execute(statement)
        app = psycopg2.connect(host=host, port=port, user=role, password=PASSWORD, dbname=dbname)
        cursor = app.cursor()
        cursor.execute("SET lock_timeout = '5s'")  # a refusal, never a wait
        try:  # one transaction, rolled back at the end: the test database keeps no row
            cursor.execute("INSERT INTO residency_auditlog (at, username, action, object_type, "
                        "object_id, object_repr, success, detail) VALUES "
                        "(now(), 'app', 'login', '', '', '', true, '{}')")
            cursor.execute("SELECT count(*) FROM residency_auditlog WHERE username = 'app'")
            assert cursor.fetchone()[0] == 1
            cursor.execute("SELECT count(*) FROM nightlog_household")
            cursor.execute("UPDATE nightlog_household SET head = head")  # other tables: read-write
            for statement in ("UPDATE residency_auditlog SET username = 'x'",
                              "DELETE FROM residency_auditlog",
                              "TRUNCATE residency_auditlog",
                              "DROP TRIGGER residency_auditlog_no_update_delete ON residency_auditlog",
                              "DROP TRIGGER residency_auditlog_no_truncate ON residency_auditlog",
                              "ALTER TABLE residency_auditlog DISABLE TRIGGER USER"):
                cursor.execute("SAVEPOINT attempt")
                with pytest.raises(errors.InsufficientPrivilege):
                    cursor.execute(statement)
                cursor.execute("ROLLBACK TO SAVEPOINT attempt")
        finally:
            app.rollback()
            app.close()
    finally:
        owner_cursor.execute(f'DROP OWNED BY "{role}"')
        owner_cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        owner.close()
