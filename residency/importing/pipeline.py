"""From stored bytes to a checked result: read, map headers, validate (reads only)."""
from __future__ import annotations

from django.conf import settings

from residency.importing.reading import FileRefused, read_table
from residency.importing.registry import ImportContext, ImportKind
from residency.importing.rows import CheckResult, table_rows

__all__ = ["FileRefused", "check_file"]


def check_file(*, kind: ImportKind, data: bytes, filename: str, ctx: ImportContext) -> CheckResult:
    """Every error of the file by row and column, and the records when there are none.
    Raises ``FileRefused`` for a file that cannot be read at all."""
    table = read_table(data, filename, max_bytes=settings.IMPORT_MAX_BYTES)
    rows, header_errors = table_rows(table, kind.columns)
    if header_errors:
        # Without its columns no row can be checked: report the header alone.
        return CheckResult(errors=header_errors, row_count=len(rows))
    result = kind.check(rows, ctx)
    return result
