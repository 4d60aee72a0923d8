"""Backing up and restoring the whole database (``make backup`` / ``make restore``).

PostgreSQL: ``pg_dump --format=custom`` of the configured database, restored with
``pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction`` (all or
nothing; run ``manage.py grant_app_role`` afterwards, docs/OPERATIONS.md). SQLite (the
embedded default): SQLite's online backup API (what the ``.backup`` shell command uses), a
consistent copy even while the application writes. Both copy every table, the audit log and
its triggers included."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path


class BackupError(Exception):
    pass


def _pg_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} not found: install the PostgreSQL client (postgresql-client)")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def _sqlite_copy(source: sqlite3.Connection, target_path: Path | str) -> None:
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()


def dump(connection, path: Path | str) -> None:
    """Write a backup of ``connection``'s database (a Django connection) to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-password", f"--file={path}"],
             _pg_env(connection.settings_dict))
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        _sqlite_copy(connection.connection, path)
    else:
        raise BackupError(f"no backup for {connection.vendor}")


def restore(settings_dict: dict, path: Path | str) -> None:
    """Replace the database ``settings_dict`` names with the backup at ``path``."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup")
    engine = settings_dict["ENGINE"]
    if engine.endswith("postgresql"):
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", "--no-password",
              f"--dbname={settings_dict['NAME']}", str(path)], _pg_env(settings_dict))
    elif engine.endswith("sqlite3"):
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            _sqlite_copy(source, settings_dict["NAME"])
        finally:
            source.close()
    else:
        raise BackupError(f"no restore for {engine}")
