"""Which kinds of list can be imported, and by whom (pure registry).

A kind brings its columns, a ``check`` (rows in, records and errors out, reading the
database only through its own lookups) and a ``save`` (called inside the import
transaction with a valid result). Residency's own kinds load on first use; later apps
register theirs from ``AppConfig.ready`` so residency never imports them.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import Any

from residency.importing.rows import CheckResult, Column, Row


@dataclass(frozen=True)
class ImportContext:
    """Who imports, and into which part of the directory.

    ``county_id`` is the importer's county (organisation department, township admin) or
    the county a system admin picked; ``township_id`` is set for a township admin only:
    rows for any other township are errors."""

    user: Any
    role: str
    county_id: int | None
    township_id: int | None = None
    today: date | None = None


@dataclass(frozen=True)
class ImportKind:
    code: str
    label: str
    columns: tuple[Column, ...]
    check: Callable[[list[Row], ImportContext], CheckResult]
    save: Callable[[CheckResult, ImportContext], dict[str, Any]]
    preview_headers: tuple[str, ...]
    allowed_roles: frozenset[str] = field(
        default_factory=lambda: frozenset({"system_admin", "org_department", "township_admin"}))
    order: int = 100
    # False when the file itself names the county (townships: a system admin's file).
    needs_county: bool = True

    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


_KINDS: dict[str, ImportKind] = {}
BUILTIN_MODULES: Sequence[str] = (
    "residency.importing.townships",
    "residency.importing.villages",
    "residency.importing.cadres",
)
_loaded = False


def register_kind(kind: ImportKind) -> None:
    """Add (or replace, by code) a kind. Safe to call more than once."""
    _KINDS[kind.code] = kind


def _load_builtin() -> None:
    global _loaded
    if not _loaded:
        for module in BUILTIN_MODULES:
            import_module(module)
        _loaded = True


def get_kind(code: str) -> ImportKind | None:
    _load_builtin()
    return _KINDS.get(code)


def available_kinds(role: str | None) -> list[ImportKind]:
    _load_builtin()
    return sorted((k for k in _KINDS.values() if role in k.allowed_roles),
                  key=lambda k: (k.order, k.code))
