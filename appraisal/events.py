"""Appraisal's domain events, for later apps (notifications) to listen to, so that appraisal
never imports them. Sent with ``transaction.on_commit``; arguments are ids, never instances."""
from django.dispatch import Signal

# violation_id, status ("confirmed" or "dismissed")
violation_decided = Signal()
# appeal_id
appeal_filed = Signal()
# appeal_id, outcome ("upheld" or "overturned")
appeal_decided = Signal()
# meeting_id
meeting_closed = Signal()


def send_on_commit(signal: Signal, **kwargs) -> None:
    from django.db import transaction

    transaction.on_commit(lambda: signal.send(sender=None, **kwargs))
