"""Formula injection (issue 11, finding 3): every CSV and xlsx the system writes neutralises a
text cell that a spreadsheet would run as a formula (OWASP: prefix a single quote), and
numbers stay numbers."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from residency.spreadsheet_safety import FormulaSafeCsvWriter, neutralise_cell, neutralise_row

EVIL = '=HYPERLINK("http://e.vil","x")'


@pytest.mark.parametrize("text", [EVIL, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_text_cell_starting_like_a_formula_gets_a_leading_quote(text):
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["王大明", "", "a=b", " =1", 0, -5, 3.5, -0.5, None, True,
                                   date(2026, 3, 2)])
def test_plain_text_numbers_and_dates_are_left_as_they_are(value):
    assert neutralise_cell(value) is value or neutralise_cell(value) == value
    assert type(neutralise_cell(value)) is type(value)


def test_a_row_is_neutralised_cell_by_cell():
    assert neutralise_row(["=1", 2, "x"]) == ["'=1", 2, "x"]


def test_the_csv_writer_neutralises_every_row():
    out = io.StringIO()
    writer = FormulaSafeCsvWriter(out, lineterminator="\n")
    writer.writerow(["@cmd", -1])
    writer.writerows([["+x", 2.5]])
    assert out.getvalue() == "'@cmd,-1\n'+x,2.5\n"


# --- every export ------------------------------------------------------------------------

def _no_formula_in(workbook_bytes_or_path) -> list:
    wb = load_workbook(workbook_bytes_or_path)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


@pytest.fixture
def evil_cadre(people):
    cadre = people["cadre"]
    cadre.name = EVIL
    cadre.save(update_fields=["name"])
    return cadre


@pytest.mark.django_db
def test_the_appraisal_xlsx_has_no_live_formula_and_keeps_numbers(evil_cadre, tmp_path):
    out = tmp_path / "report.xlsx"
    call_command("export_appraisal", "--year", "2026", "--out", str(out))
    texts = _no_formula_in(out)
    assert "'" + EVIL in texts
    ws = load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    first = [c.value for c in ws[2]]
    assert isinstance(first[header.index("应住夜数")], int)  # the people's sheet: Chinese headers


@pytest.mark.django_db
def test_the_appraisal_csv_quotes_a_formula_name(evil_cadre, tmp_path):
    out = tmp_path / "report.csv"
    call_command("export_appraisal", "--year", "2026", "--out", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert "'" + EVIL in {r["name"] for r in rows}
    assert all(not r["name"].startswith("=") for r in rows)


@pytest.mark.django_db
def test_the_roster_week_xlsx_has_no_live_formula(client, people, directory, evil_cadre):
    from residency.nights.isoweek import format_week
    from tests.residency.roster.factories import make_stay, make_week

    monday = date(2026, 3, 2)
    week = make_week(directory["t1"], monday)
    make_stay(week, evil_cadre, directory["v11"], monday)
    directory["v12"].name = "-西村"
    directory["v12"].save(update_fields=["name"])
    client.force_login(people["township_admin"])
    response = client.get(reverse("residency:roster-xlsx", args=[directory["t1"].pk, format_week(monday)]))
    assert response.status_code == 200
    texts = _no_formula_in(io.BytesIO(response.content))
    assert "'-西村" in texts and any(t.startswith("'" + EVIL) for t in texts)


@pytest.mark.django_db
def test_the_export_roster_command_neutralises_names(people, directory, tmp_path):
    from tests.residency.roster.factories import make_stay, make_week

    monday = date(2026, 3, 2)
    directory["v11"].name = "@东村"
    directory["v11"].save(update_fields=["name"])
    week = make_week(directory["t1"], monday)
    make_stay(week, people["cadre"], directory["v11"], monday + timedelta(days=1))
    out = tmp_path / "roster.csv"
    call_command("export_roster", "--week", "2026-W10", "--out", str(out), stdout=io.StringIO())
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[1][2] == "'@东村" and rows[1][4] == "'@东村"


@pytest.mark.django_db
def test_the_export_visits_command_neutralises_the_household_head(people, directory, tmp_path):
    from tests.nightlog.factories import aware, make_visit
    from tests.residency.factories import make_household

    h = make_household(directory["v11"], head="+王大明")
    make_visit(people["cadre"], h, visited_at=aware(2026, 1, 5))
    out = tmp_path / "v.csv"
    call_command("export_visits", "--from", "2026-01-01", "--to", "2026-01-31", "--out", str(out))
    row = list(csv.DictReader(out.open(encoding="utf-8")))[0]
    assert row["household"] == "'+王大明"


def test_import_templates_go_through_the_same_helper():
    """The templates hold only our own headers and examples, but they are spreadsheets the
    system writes, so they take the same path as every export."""
    from residency.importing import template_files
    from residency.importing.registry import ImportKind
    from residency.importing.rows import Column

    kind = ImportKind(code="x", label="测试", columns=(Column(key="a", header="=A", example="=1+1"),),
                      check=None, save=None, preview_headers=())
    lines = template_files.template_csv(kind).decode("utf-8-sig").splitlines()
    assert lines[0] == "'=A" and lines[1] == "'=1+1"
    texts = _no_formula_in(io.BytesIO(template_files.template_xlsx(kind)))
    assert "'=1+1" in texts and "'=A" in texts
