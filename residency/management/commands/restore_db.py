"""``make restore BACKUP=file``: replace the configured database with a backup
(residency/backup.py). Every row now in the database is replaced."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from residency.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the whole database with a backup written by backup_db (make backup)."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the backup file")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="do not ask for confirmation")

    def handle(self, *args, backup: str, interactive: bool, **options):
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(f"这会用 {backup} 替换数据库 {name} 中的全部数据。输入 yes 继续: ")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消 (cancelled)")
        connection.close()
        try:
            restore(connection.settings_dict, backup)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"恢复完成 (restored into {name}) from {backup}")
