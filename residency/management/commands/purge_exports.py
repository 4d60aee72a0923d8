"""``manage.py purge_exports``: delete the files of background exports whose download link
has expired (``EXPORT_LINK_TTL_HOURS``); beat runs the same each night."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from residency.exports.services import export_jobs_purge_expired


class Command(BaseCommand):
    help = "删除下载链接已过期的后台导出文件(任务记录保留,标为已过期)。"

    def handle(self, *args, **options):
        purged = export_jobs_purge_expired()
        self.stdout.write(f"已删除 {purged} 个过期的导出文件。")
