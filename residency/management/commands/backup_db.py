"""``make backup``: write a backup of the configured database (residency/backup.py)."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from residency.backup import BackupError, dump


class Command(BaseCommand):
    help = ("Back up the whole database: pg_dump (custom format) on PostgreSQL, SQLite's "
            "backup API on SQLite.")

    def add_arguments(self, parser):
        parser.add_argument("--out", default="",
                            help="file to write (default var/backups/tongxiang-<time>.backup)")

    def handle(self, *args, out: str, **options):
        path = out or f"var/backups/tongxiang-{timezone.localtime():%Y%m%d-%H%M%S}.backup"
        try:
            dump(connection, path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"备份完成 (backup written): {path}")
