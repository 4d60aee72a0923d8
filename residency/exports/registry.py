"""The export kinds. Each kind says who may start it, the form of its parameters, how to
count its rows (for the progress bar) and how to write them to a binary file."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from residency.access.roles import Role

# progress(rows_done) is called by a writer now and then; it is cheap to call often.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportKind:
    """``form_class(data, scope=scope)`` validates the parameters; its ``params()`` returns
    them as JSON-ready values. ``count(scope=, params=)`` -> rows expected;
    ``write(out, scope=, params=, progress=)`` writes to the binary file ``out`` and returns
    the rows written; ``filename(params)`` is the name the browser saves."""

    code: str
    label: str
    roles: tuple[Role, ...]
    form_class: type
    count: Callable[..., int]
    write: Callable[..., int]
    filename: Callable[[dict], str]
    content_type: str


_KINDS: dict[str, ExportKind] = {}


def register_kind(kind: ExportKind) -> None:
    """Called from an app's ``ready()``; registering the same code again replaces it."""
    _KINDS[kind.code] = kind


def get_kind(code: str) -> ExportKind | None:
    return _KINDS.get(code)


def kinds_for(role: Role | None) -> list[ExportKind]:
    return [k for k in _KINDS.values() if role in k.roles]
