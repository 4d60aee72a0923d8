"""From stored bytes to a checked result: read, map headers, validate (reads only).

The file is read once, at upload; its parsed rows are kept with the upload
(``table_to_json``) so that preview pages and confirm check the rows without parsing the
file again."""
from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings

from residency.importing.reading import FileRefused, read_table
from residency.importing.registry import ImportContext, ImportKind
from residency.importing.rows import CheckResult, Table, table_rows

__all__ = ["FileRefused", "check_file", "check_table", "table_from_json", "table_to_json"]


def _cell_to_json(value: Any) -> Any:
    return {"date": value.isoformat()} if isinstance(value, date) else value


def _cell_from_json(value: Any) -> Any:
    return date.fromisoformat(value["date"]) if isinstance(value, dict) else value


def table_to_json(table: Table) -> dict:
    """A parsed file as JSON (dates tagged), to keep with the upload."""
    return {"headers": [_cell_to_json(h) for h in table.headers],
            "rows": [[number, [_cell_to_json(c) for c in cells]] for number, cells in table.rows]}


def table_from_json(data: dict) -> Table:
    return Table(headers=[_cell_from_json(h) for h in data["headers"]],
                 rows=[(number, [_cell_from_json(c) for c in cells]) for number, cells in data["rows"]])


def check_table(*, kind: ImportKind, table: Table, ctx: ImportContext) -> CheckResult:
    """Every error of the parsed rows by row and column, and the records when there are none."""
    rows, header_errors = table_rows(table, kind.columns)
    if header_errors:
        # Without its columns no row can be checked: report the header alone.
        return CheckResult(errors=header_errors, row_count=len(rows))
    return kind.check(rows, ctx)


def check_file(*, kind: ImportKind, data: bytes, filename: str, ctx: ImportContext) -> CheckResult:
    """Every error of the file by row and column, and the records when there are none.
    Raises ``FileRefused`` for a file that cannot be read at all."""
    table = read_table(data, filename, max_bytes=settings.IMPORT_MAX_BYTES)
    return check_table(kind=kind, table=table, ctx=ctx)
