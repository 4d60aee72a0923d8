"""What a rule produces: one reminder for one recipient. Pure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Reminder:
    recipient_id: int
    kind: str
    subject: str
    date: date
    text: str
    link: str = ""
    urgent: bool = False
    expires_at: datetime | None = None
    # About tonight's stay (e.g. a change to tonight's night): may go to a phone even when
    # its kind does not (``kinds.pushes``).
    tonight: bool = False

    @property
    def key(self) -> tuple[int, str, str, date]:
        return (self.recipient_id, self.kind, self.subject, self.date)
