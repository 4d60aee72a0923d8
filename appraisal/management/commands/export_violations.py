"""python manage.py export_violations --year 2026 --out v.csv"""
from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from appraisal.register import COLUMNS, register_rows
from residency import audit
from residency.access.scoping import ALL, COUNTY, Scope
from residency.models import County


class Command(BaseCommand):
    help = (
        "Export the register of incidents (rule R3: one incident per cadre and night, however "
        "many signals point at it) as CSV, one row per incident of the year, with exactly the "
        "columns cadre,township,village,night,signals,status,decided_by,decided_at,appeal,"
        "evidence. cadre is the username; night the ISO date; signals the |-joined names "
        "missed_checkin, spot_check_absent, far_checkin; status candidate, confirmed, dismissed "
        "or overturned (confirmed, then overturned on appeal); decided_by the official's name; "
        "decided_at ISO 8601 with the UTC offset; appeal empty, pending, upheld or overturned; "
        "evidence a one-line Chinese summary. Rows merged into another incident of the same "
        "night by the incidents migration are part of that incident, not rows of their own. "
        "UTF-8 (add --bom for Excel). The export is written to the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="calendar year of the nights, e.g. 2026")
        parser.add_argument("--out", required=True, help="output .csv file")
        parser.add_argument("--county", default="", help="county code (default: every county)")
        parser.add_argument("--bom", action="store_true",
                            help="start the file with a UTF-8 BOM so that Excel shows the Chinese text")

    def handle(self, *args, year, out, county, bom, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be between 2000 and 2100")
        path = Path(out)
        if path.suffix.lower() != ".csv":
            raise CommandError("--out must end in .csv")
        if not path.parent.exists():
            raise CommandError(f"directory {path.parent} does not exist")
        if county:
            found = County.objects.filter(code=county).first()
            if found is None:
                raise CommandError(f"no county with code {county!r}")
            scope = Scope(role=None, level=COUNTY, county_ids=frozenset({found.pk}))
        else:
            scope = Scope(role=None, level=ALL)
        count = 0
        with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(COLUMNS)
            for row in register_rows(scope=scope, year=year):
                writer.writerow(row.values())
                count += 1
        audit.record("export_violations_command", username="manage.py", year=year, rows=count,
                     out=str(path), county=county)
        self.stdout.write(self.style.SUCCESS(f"{count} incidents written to {path}"))
