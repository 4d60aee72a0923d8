"""Do the installed packages match the pins of requirements.txt? ``make test`` runs this
first and stops when they do not, so tests never pass against versions nobody pinned.

    python -m tongxiang.requirements_check [requirements.txt ...]

Every ``name==version`` line must be installed at exactly that version (names compared
as PEP 503 normalises them). Exit status 1 lists each difference."""
from __future__ import annotations

import re
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str) -> dict[str, str]:
    """``{normalised name: version}`` of the ``==`` pins in a requirements file's text.
    A requirement that is not an exact pin is reported as ``None``-version by ``mismatches``."""
    found = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        found[normalise(match.group(1)) if match else line] = match.group(2) if match else ""
    return found


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def mismatches(text: str, installed: Callable[[str], str | None] = installed_version) -> list[str]:
    problems = []
    for name, wanted in pins(text).items():
        if not wanted:
            problems.append(f"{name}: not pinned with == (pin an exact version)")
            continue
        have = installed(name)
        if have is None:
            problems.append(f"{name}: {wanted} pinned, not installed")
        elif have != wanted:
            problems.append(f"{name}: {wanted} pinned, {have} installed")
    return problems


def main(argv: list[str]) -> int:
    files = argv or ["requirements.txt"]
    problems = [f"{path}: {p}" for path in files
                for p in mismatches(Path(path).read_text(encoding="utf-8"))]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("The installed packages differ from the pins: run "
              "`.venv/bin/python -m pip install -r requirements.txt`.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
