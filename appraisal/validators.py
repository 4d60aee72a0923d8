"""Uploaded 述职 files: an allowed type (by extension and by content) and a bounded size."""
from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

REPORT_MAX_BYTES = 10 * 1024 * 1024
# extension -> the file's first bytes
REPORT_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
}


def validate_report_file(upload) -> None:
    ext = PurePath(upload.name or "").suffix.lower()
    if ext not in REPORT_SIGNATURES:
        raise ValidationError(_("附件只能是 PDF、Word(doc/docx)或图片(jpg/png)。"))
    if upload.size is not None and upload.size > REPORT_MAX_BYTES:
        raise ValidationError(_("附件不能超过 10 MB。"))
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8)
    upload.seek(position)
    if not any(head.startswith(sig) for sig in REPORT_SIGNATURES[ext]):
        raise ValidationError(_("附件内容与文件类型不符。"))
