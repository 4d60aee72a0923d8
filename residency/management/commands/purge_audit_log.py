"""Delete audit rows past the retention (AUDIT_LOG_RETENTION_DAYS, never fewer than 180 days).

Run as the database owner (docs/OPERATIONS.md): the application role may not delete audit
rows at all. Younger rows are never touched (residency/privacy/purge.py; the triggers refuse them)."""
from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from residency.models import AuditLog
from residency.privacy.purge import purge


class Command(BaseCommand):
    help = ("Delete audit rows older than the retention (AUDIT_LOG_RETENTION_DAYS, at least "
            "180 days). Run as the database owner.")

    def handle(self, *args, **options):
        with transaction.atomic():
            deleted = purge(AuditLog.objects.all())
        self.stdout.write(f"删除超过保留期限的审计记录 {deleted} 条 (audit rows deleted)")
