"""The background export jobs (``residency.exports``)."""
from residency.exports.models import ExportJob

__all__ = ["ExportJob"]
