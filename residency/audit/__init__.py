"""The append-only audit log: ``recording`` writes rows (``audit.record(...)``), ``labels``
names actions in Chinese (later apps register theirs), ``middleware`` keeps the request for
receivers, ``signals`` audits logins and role changes, ``views`` lists the log."""
from residency.audit.recording import client_ip, record, reset_current_request, set_current_request

__all__ = ["client_ip", "record", "reset_current_request", "set_current_request"]
