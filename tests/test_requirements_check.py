"""`make test` stops when the installed packages differ from requirements.txt (issue 11,
finding 10), and the pins are the ones the issue asks for."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tongxiang.requirements_check import mismatches, pins

ROOT = Path(__file__).resolve().parent.parent
TEXT = "# Runtime\nDjango==5.2.19\ndjango_axes==8.3.1  # lockout\n\nwhitenoise==6.12.0\n"


def test_pins_are_read_with_normalised_names_and_comments_ignored():
    assert pins(TEXT) == {"django": "5.2.19", "django-axes": "8.3.1", "whitenoise": "6.12.0"}


def test_matching_versions_give_no_problem():
    installed = {"django": "5.2.19", "django-axes": "8.3.1", "whitenoise": "6.12.0"}
    assert mismatches(TEXT, installed.get) == []


def test_a_different_or_missing_version_is_reported():
    installed = {"django": "5.2.8", "django-axes": "8.3.1"}
    assert mismatches(TEXT, installed.get) == [
        "django: 5.2.19 pinned, 5.2.8 installed", "whitenoise: 6.12.0 pinned, not installed"]


def test_a_requirement_without_an_exact_pin_is_reported():
    assert mismatches("celery>=5\n", {"celery": "5.7.0"}.get) == [
        "celery>=5: not pinned with == (pin an exact version)"]


def test_the_check_fails_with_a_clear_message_on_a_stale_file(tmp_path):
    stale = tmp_path / "requirements.txt"
    stale.write_text("Django==1.0\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tongxiang.requirements_check", str(stale)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "django: 1.0 pinned" in result.stderr


def test_this_environment_matches_requirements_txt():
    result = subprocess.run([sys.executable, "-m", "tongxiang.requirements_check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_make_test_runs_the_check_before_the_tests():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest: venv\n", 1)[1].split("\n\n", 1)[0]
    lines = [line.strip() for line in recipe.splitlines()]
    check = next(i for i, line in enumerate(lines) if "tongxiang.requirements_check" in line)
    run = next(i for i, line in enumerate(lines) if "-m pytest" in line)
    assert check < run


def test_django_is_pinned_at_least_at_5_2_19():
    version = pins((ROOT / "requirements.txt").read_text(encoding="utf-8"))["django"]
    assert tuple(int(p) for p in version.split(".")) >= (5, 2, 19)
