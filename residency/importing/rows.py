"""Rows in, errors out: headers, cells and the errors a file can have (pure).

A file's first row holds the headers. Row numbers are the spreadsheet's own (the header
is row 1, the first data row is row 2), so the admin finds the cell the error names.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

HEADER_ROW = 1


@dataclass(frozen=True)
class Column:
    """One column of a kind's file: ``header`` is the exact Chinese header to write."""

    key: str
    header: str
    required: bool = True  # the column must be present (a value may still be optional)
    example: str = ""
    note: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class Table:
    """What a reader returns: the header cells and the data rows with their numbers."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]]


@dataclass
class Row:
    number: int
    values: dict[str, Any]

    def text(self, key: str) -> str:
        return cell_text(self.values.get(key))


@dataclass
class CheckResult:
    """The outcome of validating a file: records to save, or errors (or both)."""

    records: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0
    summary: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and self.row_count > 0


class Errors:
    """Collects errors, naming each column by its header."""

    def __init__(self, columns: Iterable[Column]):
        self.headers = {c.key: c.header for c in columns}
        self.items: list[RowError] = []
        self.rows: set[int] = set()

    def add(self, row: int, key: str, message: str) -> None:
        self.items.append(RowError(row, self.headers.get(key, key), str(message)))
        self.rows.add(row)

    def has_row(self, row: int) -> bool:
        return row in self.rows

    def __bool__(self) -> bool:
        return bool(self.items)

    def sorted(self) -> list[RowError]:
        """By row, then in the order of the columns (stable within a cell)."""
        order = {header: i for i, header in enumerate(self.headers.values())}
        return sorted(self.items, key=lambda e: (e.row, order.get(e.column, len(order))))


_PAREN = str.maketrans({"（": "(", "）": ")", "，": ",", "、": "、"})


def normalize_header(value: Any) -> str:
    """``' 镇（街道）* '`` -> ``'镇(街道)'``: width, spaces and a required-mark ignored."""
    text = unicodedata.normalize("NFKC", cell_text(value)).translate(_PAREN)
    text = re.sub(r"\s+", "", text)
    return text.rstrip("*").removesuffix("(必填)")


def map_headers(headers: Sequence[Any], columns: Sequence[Column]) -> tuple[dict[str, int], list[RowError]]:
    """Column key -> index in the file. A missing required column or a column given twice
    is an error on the header row."""
    errors: list[RowError] = []
    wanted: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            wanted[normalize_header(name)] = column
    index: dict[str, int] = {}
    for position, raw in enumerate(headers):
        name = normalize_header(raw)
        column = wanted.get(name)
        if column is None:
            if name:
                # A misspelt header must not silently drop a column's data.
                errors.append(RowError(HEADER_ROW, cell_text(raw), _("无法识别的列名,请使用模板中的列名")))
            continue
        if column.key in index:
            errors.append(RowError(HEADER_ROW, column.header, _("列重复")))
            continue
        index[column.key] = position
    for column in columns:
        if column.required and column.key not in index:
            errors.append(RowError(HEADER_ROW, column.header, _("缺少此列")))
    if not any(normalize_header(h) for h in headers):
        errors = [RowError(HEADER_ROW, "", _("第一行应为表头,文件中没有表头"))]
    return index, errors


def table_rows(table: Table, columns: Sequence[Column]) -> tuple[list[Row], list[RowError]]:
    """The non-blank data rows keyed by column, and the header errors."""
    index, errors = map_headers(table.headers, columns)
    rows: list[Row] = []
    for number, cells in table.rows:
        values = {key: (cells[i] if i < len(cells) else None) for key, i in index.items()}
        if all(cell_text(v) == "" for v in values.values()):
            continue
        rows.append(Row(number, values))
    return rows, errors


# --- cells ----------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as trimmed text: numbers without a spurious ``.0``, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\u3000", " ").strip()


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value: Any) -> date:
    """A date cell or text such as ``2026-01-05``, ``2026/1/5``, ``2026年1月5日``,
    ``20260105``; ValueError otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if re.fullmatch(r"\d{8}", text):
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    match = _DATE_RE.match(text)
    if not match:
        raise ValueError(text)
    return date(*(int(g) for g in match.groups()))


YES = {"是", "Y", "y", "yes", "Yes", "YES", "1", "√", "TRUE", "True", "true"}
NO = {"否", "N", "n", "no", "No", "NO", "0", "", "FALSE", "False", "false"}


def parse_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value)
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(text)


def parse_positive_int(value: Any, *, maximum: int) -> int:
    text = cell_text(value)
    if not re.fullmatch(r"\d+", text):
        raise ValueError(text)
    number = int(text)
    if not 1 <= number <= maximum:
        raise ValueError(text)
    return number


def split_labels(value: Any) -> list[str]:
    """``'困难户、种养大户'`` or ``'困难户,种养大户'`` -> the two labels."""
    text = cell_text(value)
    return [part.strip() for part in re.split(r"[、,，;；/\s]+", text) if part.strip()]


CODE_RE = re.compile(r"^[0-9A-Za-z_-]{1,12}$")


def code_error(text: str) -> str | None:
    if not text:
        return _("必填")
    if not CODE_RE.match(text):
        return _("代码应为1至12位字母或数字")
    return None


def required_text_error(text: str, *, max_length: int) -> str | None:
    if not text:
        return _("必填")
    if len(text) > max_length:
        return _("不能超过%(n)d个字") % {"n": max_length}
    return None


def optional_text_error(text: str, *, max_length: int) -> str | None:
    if len(text) > max_length:
        return _("不能超过%(n)d个字") % {"n": max_length}
    return None


class DuplicateTracker:
    """Reports a value repeated within the file, naming the row that had it first."""

    def __init__(self):
        self.seen: dict[Any, int] = {}

    def check(self, key: Any, row: int) -> int | None:
        """The earlier row holding ``key``, else None (and remember it)."""
        if key in self.seen:
            return self.seen[key]
        self.seen[key] = row
        return None
