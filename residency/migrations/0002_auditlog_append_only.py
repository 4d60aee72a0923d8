"""On PostgreSQL, refuse UPDATE and DELETE on the audit log at the database level
(except detaching a deleted user, which Django does with SET NULL)."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION residency_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    -- Deleting a user may only detach it (ON DELETE SET NULL); nothing else changes.
    IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL
       AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'residency_auditlog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER residency_auditlog_no_update_delete
    BEFORE UPDATE OR DELETE ON residency_auditlog
    FOR EACH ROW EXECUTE FUNCTION residency_auditlog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS residency_auditlog_no_update_delete ON residency_auditlog;
DROP FUNCTION IF EXISTS residency_auditlog_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("residency", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
