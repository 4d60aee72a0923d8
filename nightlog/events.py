"""Night-log events for later apps (notifications). Sent after commit, with ids only.

problem_raised: problem_id, owner_id (user id), raised_by_id (cadre id)
problem_changed: problem_id, from_status, to_status, owner_id, by_id (user id or None)
"""
from django.dispatch import Signal

problem_raised = Signal()
problem_changed = Signal()
