"""``make backup`` / ``make restore``: a dump of a seeded database restored into a fresh one
holds every row of every table (pg_dump/pg_restore on PostgreSQL, SQLite's backup API)."""
from __future__ import annotations

import sqlite3

import pytest
from django.core.management import call_command
from django.db import connection

from residency import audit
from residency.backup import restore
from residency.models import AuditLog
from tests.nightlog.factories import make_visit

pytestmark = pytest.mark.django_db(transaction=True)


def _pg_connect(settings_dict, dbname):
    import psycopg2

    conn = psycopg2.connect(host=settings_dict["HOST"] or "127.0.0.1",
                            port=settings_dict["PORT"] or 5432, user=settings_dict["USER"],
                            password=settings_dict["PASSWORD"] or None, dbname=dbname)
    conn.autocommit = True
    return conn


def _pg_fingerprints(settings_dict, dbname, tables) -> dict[str, tuple[int, str]]:
    conn = _pg_connect(settings_dict, dbname)
    try:
        cursor = conn.cursor()
        out = {}
        for table in tables:
            cursor.execute(f'SELECT count(*), md5(coalesce(string_agg(t::text, \'|\' '
                           f'ORDER BY t::text), \'\')) FROM "{table}" t')
            out[table] = cursor.fetchone()
        return out
    finally:
        conn.close()


def _sqlite_fingerprints(conn, tables) -> dict[str, tuple[int, str]]:
    out = {}
    for table in tables:
        rows = sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{table}"'))
        out[table] = (len(rows), "|".join(rows))
    return out


def test_a_restored_backup_holds_every_row_of_every_table(people, households, tmp_path):
    make_visit(people["cadre"], households["h11"])
    audit.record("login", user=people["cadre"].user)
    tables = connection.introspection.table_names()
    dump = tmp_path / "tongxiang.backup"
    call_command("backup_db", "--out", str(dump))
    assert dump.stat().st_size > 0

    if connection.vendor == "postgresql":
        settings_dict = connection.settings_dict
        fresh = f"{settings_dict['NAME']}_restored"[:63]
        owner = _pg_connect(settings_dict, "postgres")
        try:
            owner.cursor().execute(f'DROP DATABASE IF EXISTS "{fresh}"')
            owner.cursor().execute(f'CREATE DATABASE "{fresh}"')
            restore({**settings_dict, "NAME": fresh}, dump)
            source = _pg_fingerprints(settings_dict, settings_dict["NAME"], tables)
            restored = _pg_fingerprints(settings_dict, fresh, tables)
        finally:
            owner.cursor().execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
            owner.close()
    else:
        target = tmp_path / "restored.sqlite3"
        restore({**connection.settings_dict, "NAME": str(target)}, dump)
        source_conn = sqlite3.connect(connection.settings_dict["NAME"], uri=True)
        restored_conn = sqlite3.connect(target)
        try:
            source = _sqlite_fingerprints(source_conn, tables)
            restored = _sqlite_fingerprints(restored_conn, tables)
        finally:
            source_conn.close()
            restored_conn.close()

    assert source == restored
    assert source["nightlog_visit"][0] == 1 and source["nightlog_household"][0] == 3
    assert source["residency_auditlog"][0] == AuditLog.objects.count() > 0
