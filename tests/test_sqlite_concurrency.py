"""The embedded default (SQLite) takes concurrent writes without 'database is locked'
(issue 11, finding 5): votes, check-ins and visit saves at the same moment all succeed."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_sqlite_settings_take_the_write_lock_up_front_and_use_wal():
    from tongxiang.settings.base import sqlite_options

    options = sqlite_options()
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 20
    assert "journal_mode=WAL" in options["init_command"].replace(" ", "")


def test_concurrent_votes_checkins_and_visit_saves_on_a_sqlite_file_all_succeed(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'race.sqlite3'}", REDIS_URL="",
               DJANGO_SETTINGS_MODULE="tongxiang.settings.test")
    result = subprocess.run([sys.executable, "-m", "tests.sqlite_race"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert (outcome["votes"], outcome["checkins"], outcome["visits"], outcome["reads"]) == (8, 8, 8, 2)
    assert outcome["journal_mode"] == "wal"
