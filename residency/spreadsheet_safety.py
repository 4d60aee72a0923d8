"""Formula-safe spreadsheet cells: the one place every CSV and xlsx writer passes through.

A spreadsheet runs a text cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, one that starts with a tab or a carriage return) as a formula, so a name such as
``=HYPERLINK("http://e.vil","x")`` typed into the system would become a live link in the
organisation department's report (CSV injection, OWASP). Such a cell is written with a
leading single quote, which makes the spreadsheet show it as text. Only text is touched:
numbers, dates and empty cells stay what they are, so sums keep working.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text that a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise_cell(v) for v in values]


class FormulaSafeCsvWriter:
    """``csv.writer`` whose every row goes through ``neutralise_row``. ``writerow`` returns
    what the underlying writer returns (the line, for a streaming echo buffer)."""

    def __init__(self, handle, **kwargs):
        self._writer = csv.writer(handle, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(neutralise_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
