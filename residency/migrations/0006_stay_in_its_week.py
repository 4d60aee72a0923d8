"""A stay's night lies in its roster week and its village in the week's township, enforced
by the database (a CHECK constraint cannot look across the foreign key, so a trigger does).
PostgreSQL raises check_violation (Django: IntegrityError); SQLite aborts the statement."""
from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION residency_stay_in_its_week() RETURNS trigger AS $$
DECLARE
    week_start date;
    week_township bigint;
BEGIN
    SELECT rw.week_start, rw.township_id INTO week_start, week_township
      FROM residency_rosterweek rw WHERE rw.id = NEW.week_id;
    IF NEW.night < week_start OR NEW.night > week_start + 6 THEN
        RAISE EXCEPTION 'stay night % is outside its roster week starting %', NEW.night, week_start
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM residency_village v
                   WHERE v.id = NEW.village_id AND v.township_id = week_township) THEN
        RAISE EXCEPTION 'stay village % is not in the township of its roster week', NEW.village_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER residency_stay_in_its_week
    BEFORE INSERT OR UPDATE OF night, week_id, village_id ON residency_stay
    FOR EACH ROW EXECUTE FUNCTION residency_stay_in_its_week();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS residency_stay_in_its_week ON residency_stay;
DROP FUNCTION IF EXISTS residency_stay_in_its_week();
"""

_SQLITE_WHEN = """
    WHEN NEW.night < (SELECT week_start FROM residency_rosterweek WHERE id = NEW.week_id)
      OR NEW.night > date((SELECT week_start FROM residency_rosterweek WHERE id = NEW.week_id), '+6 days')
      OR (SELECT township_id FROM residency_village WHERE id = NEW.village_id)
         IS NOT (SELECT township_id FROM residency_rosterweek WHERE id = NEW.week_id)
    BEGIN SELECT RAISE(ABORT, 'stay outside its roster week or township'); END;
"""
SQLITE_CREATE = [
    "CREATE TRIGGER residency_stay_in_its_week_insert BEFORE INSERT ON residency_stay" + _SQLITE_WHEN,
    "CREATE TRIGGER residency_stay_in_its_week_update BEFORE UPDATE OF night, week_id, village_id "
    "ON residency_stay" + _SQLITE_WHEN,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS residency_stay_in_its_week_insert",
    "DROP TRIGGER IF EXISTS residency_stay_in_its_week_update",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)  # the SQL holds literal % signs
    elif vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("residency", "0005_importupload")]
    operations = [migrations.RunPython(forwards, backwards)]
