"""The audit log is append-only on every database, not only through the model:

- PostgreSQL: the row trigger of 0002 now also lets rows past the 180-day retention be deleted
  (by the owner role: the application role has no DELETE on the table, see
  docs/OPERATIONS.md and ``manage.py grant_app_role``), and a statement trigger refuses
  TRUNCATE (row triggers do not see it).
- SQLite (the embedded default): triggers raise on UPDATE, except detaching a deleted user
  (ON DELETE SET NULL, nothing else changed), and on DELETE of rows younger than 180 days.

SQLite drops a table's triggers when Django rebuilds the table: a later migration that alters
residency_auditlog on SQLite must create them again (and list any new column in
``SQLITE_UPDATE_ALLOWED``).
"""
from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION residency_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    -- Deleting a user may only detach it (ON DELETE SET NULL); nothing else changes.
    IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL
       AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
        RETURN NEW;
    END IF;
    -- Rows are kept at least 180 days; older ones may go (residency/privacy/purge.py).
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'residency_auditlog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION residency_auditlog_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'residency_auditlog is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS residency_auditlog_no_truncate ON residency_auditlog;
CREATE TRIGGER residency_auditlog_no_truncate
    BEFORE TRUNCATE ON residency_auditlog
    FOR EACH STATEMENT EXECUTE FUNCTION residency_auditlog_no_truncate();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS residency_auditlog_no_truncate ON residency_auditlog;
DROP FUNCTION IF EXISTS residency_auditlog_no_truncate();
CREATE OR REPLACE FUNCTION residency_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL
       AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'residency_auditlog is append-only';
END;
$$ LANGUAGE plpgsql;
"""

SQLITE_UPDATE_ALLOWED = ["id", "at", "username", "ip", "action", "object_type", "object_id",
                         "object_repr", "success", "detail", "county_id"]
SQLITE_CREATE = [
    """
CREATE TRIGGER IF NOT EXISTS residency_auditlog_no_update
BEFORE UPDATE ON residency_auditlog
WHEN NOT (NEW.user_id IS NULL AND {unchanged})
BEGIN
    SELECT RAISE(ABORT, 'residency_auditlog is append-only');
END;
""".format(unchanged=" AND ".join(f"NEW.{c} IS OLD.{c}" for c in SQLITE_UPDATE_ALLOWED)),
    """
CREATE TRIGGER IF NOT EXISTS residency_auditlog_no_delete
BEFORE DELETE ON residency_auditlog
WHEN OLD.at >= strftime('%Y-%m-%d %H:%M:%f', 'now', '-180 days')
BEGIN
    SELECT RAISE(ABORT, 'residency_auditlog is append-only');
END;
""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS residency_auditlog_no_update;",
    "DROP TRIGGER IF EXISTS residency_auditlog_no_delete;",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("residency", "0008_auditlog_county")]
    operations = [migrations.RunPython(forwards, backwards)]
