"""The demo county (``manage.py seed_demo``): ``directory`` (county, townships, villages,
cadres, officials, logins), ``people`` (generated names, never real ones), ``roster``.

Later apps plug in from their ``AppConfig.ready()``: ``register_step`` adds a step run after
residency's (each ``def seed(ctx) -> None``), ``register_directory_extra`` adds rows to the
directory step itself, drawing from the same random sequence."""
from __future__ import annotations

from collections.abc import Callable

# The demo steps, run in order by seed_demo: residency's, then each app's in INSTALLED_APPS
# order. A step whose module does not exist yet is skipped with a note.
DEMO_STEPS: list[str] = [
    "residency.demo.directory.seed_directory",
    "residency.demo.roster.seed",
]
# Called as extra(ctx, people_generator, villages) -> a short note (or "") inside
# seed_directory, after the officials.
DIRECTORY_EXTRAS: list[Callable] = []


def register_step(path: str) -> None:
    """Add the demo step at dotted ``path`` (idempotent)."""
    if path not in DEMO_STEPS:
        DEMO_STEPS.append(path)


def register_directory_extra(extra: Callable) -> None:
    if extra not in DIRECTORY_EXTRAS:
        DIRECTORY_EXTRAS.append(extra)
