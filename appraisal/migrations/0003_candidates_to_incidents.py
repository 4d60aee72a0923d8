# Incidents (issue 10), step 2 of 3: existing candidates become incidents.
#
# - Every row made from a source record (spot_check, missed_checkin) gets its signal.
# - Rows of the same cadre and night become one incident: the row that decides the night
#   is kept (a standing confirmation first, then an undecided candidate, then an overturned
#   confirmation, then a dismissal; a row with an appeal before one without; then the
#   oldest). The others keep their own decision, appeal and audit history and point at it
#   (``merged_into``); they no longer count. Their signals move to the kept incident.
# - Undecided week_below_minimum candidates are deleted: such a week is now a roster gap
#   shown to the township admin, never a cadre's violation. Decided ones are kept as they
#   are (a person decided them; docs/APPRAISAL.md says how to review them).
from collections import defaultdict

from django.db import migrations

KIND = {"spot_check": "spot_check_absent", "missed_checkin": "missed_checkin"}


def _rank(row, appeals):
    outcome = appeals.get(row.pk)
    if row.status == "confirmed" and outcome != "overturned":
        state = 0
    elif row.status == "candidate":
        state = 1
    elif row.status == "confirmed":
        state = 2
    else:
        state = 3
    return (state, 0 if outcome else 1, row.pk)


def candidates_to_incidents(apps, schema_editor):
    Violation = apps.get_model("appraisal", "Violation")
    ViolationSignal = apps.get_model("appraisal", "ViolationSignal")
    Appeal = apps.get_model("appraisal", "Appeal")

    Violation.objects.filter(source="week_below_minimum", status="candidate").delete()

    for row in Violation.objects.filter(source__in=list(KIND), source_id__isnull=False):
        ViolationSignal.objects.get_or_create(
            kind=KIND[row.source], source_id=row.source_id,
            defaults={"violation_id": row.pk, "description": f"由原记录 {row.pk} 转入"})

    appeals = dict(Appeal.objects.values_list("violation_id", "outcome"))
    groups = defaultdict(list)
    for row in (Violation.objects.exclude(source="week_below_minimum")
                .filter(merged_into__isnull=True).order_by("cadre_id", "occurred_on", "pk")):
        groups[(row.cadre_id, row.occurred_on)].append(row)
    for rows in groups.values():
        if len(rows) < 2:
            continue
        keeper = min(rows, key=lambda r: _rank(r, appeals))
        others = [r.pk for r in rows if r.pk != keeper.pk]
        ViolationSignal.objects.filter(violation_id__in=others).update(violation_id=keeper.pk)
        Violation.objects.filter(pk__in=others).update(merged_into_id=keeper.pk)
    Violation.objects.filter(source__in=list(KIND)).update(source="night")


class Migration(migrations.Migration):

    dependencies = [
        ('appraisal', '0002_incident_signals'),
    ]

    operations = [
        migrations.RunPython(candidates_to_incidents, migrations.RunPython.noop),
    ]
