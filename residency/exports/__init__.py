"""Exports as background jobs: a registry of export kinds, the ``ExportJob`` that runs one
in a Celery task (in-process without a broker) and writes its file to the ``default``
storage, the job page with its progress, and scoped, audited, expiring download links.

Residency registers its own kinds (the roster); later apps register theirs from their
``AppConfig.ready()`` with ``register_kind`` (appraisal: the annual report, statistics;
nightlog: visits). When a job ends, ``residency.events.export_finished`` is sent with the
job id; notifications turns it into a message with the link. See docs/OPERATIONS.md."""
from residency.exports.registry import ExportKind, get_kind, kinds_for, register_kind

__all__ = ["ExportKind", "get_kind", "kinds_for", "register_kind"]
