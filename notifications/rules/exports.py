"""The requester of a background export (residency.exports) is told when it has finished:
the link to the job page, where the file is downloaded while the link is valid. A failed
export is told too, so nobody waits for a file that will not come."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from residency.exports import get_kind
from residency.models import ExportJob

from ..kinds import Kind
from ..reminder import Reminder
from .common import link

RECENT = timedelta(hours=6)


def export_finished(*, job_ids: list[int]) -> list[Reminder]:
    reminders = []
    for job in ExportJob.objects.filter(pk__in=job_ids, status__in=(
            ExportJob.Status.DONE, ExportJob.Status.FAILED)):
        kind = get_kind(job.kind)
        label = str(kind.label) if kind else job.kind
        if job.status == ExportJob.Status.DONE:
            text = _("%(label)s已生成(%(rows)s 行),请在 %(at)s 前下载。") % {
                "label": label, "rows": job.rows_done,
                "at": timezone.localtime(job.expires_at).strftime("%m-%d %H:%M")}
        else:
            text = _("%(label)s生成失败,请稍后重新导出。") % {"label": label}
        reminders.append(Reminder(
            recipient_id=job.requested_by_id, kind=Kind.EXPORT_FINISHED, subject=f"export:{job.pk}",
            date=timezone.localtime(job.finished_at).date(), text=text,
            link=link(("residency:export-detail", job.pk)), expires_at=job.expires_at))
    return reminders


def export_finished_recent(*, at: datetime) -> list[Reminder]:
    """Jobs finished lately whose event may have been lost with a worker."""
    ids = ExportJob.objects.filter(finished_at__range=(at - RECENT, at)).values_list("pk", flat=True)
    return export_finished(job_ids=list(ids))
