"""The notifications' rows of the permission matrix (tests/test_permission_matrix.py).

Everyone has an inbox. A notification belongs to its recipient only (another user's id
answers 404, tested in tests/notifications/test_views.py); the matrix builder cannot know
which role is logged in, so it gives the notification to the user who logged in last."""
from __future__ import annotations

import uuid
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import F

from notifications.kinds import Kind
from notifications.models import DigestItem, Notification
from residency.access.roles import Role

ALL = set(Role)


def _mine(c):
    user = get_user_model().objects.order_by(F("last_login").desc(nulls_last=True), "-pk").first()
    n = Notification.objects.create(recipient=user, kind=Kind.STAY_TONIGHT, subject=f"stay:{uuid.uuid4().hex[:8]}",
                                    date=date(2026, 3, 2), text="今晚您在东村住夜。",
                                    token=uuid.uuid4())
    return {"pk": n.pk}


def _my_digest(c):
    user = get_user_model().objects.order_by(F("last_login").desc(nulls_last=True), "-pk").first()
    subject = f"sweep:{uuid.uuid4().hex[:8]}"
    n = Notification.objects.create(recipient=user, kind=Kind.DIGEST, subject=subject,
                                    date=date(2026, 3, 2), text="待办汇总（2 项）：……",
                                    token=uuid.uuid4())
    for i in range(2):
        DigestItem.objects.create(recipient=user, kind=Kind.PROBLEM_OVERDUE,
                                  subject=f"problem:{subject}{i}", date=date(2026, 3, 2),
                                  text="东村的问题已过办结期限", sweep=subject, token=uuid.uuid4())
    return {"pk": n.pk}


NOTIFICATIONS_MATRIX: dict[str, dict] = {
    "notifications:notification-list": {"roles": ALL},
    "notifications:notification-read": {"roles": ALL, "method": "post", "in": _mine},
    "notifications:notification-read-all": {"roles": ALL, "method": "post"},
    "notifications:preference-update": {"roles": ALL},
    "notifications:digest-detail": {"roles": ALL, "in": _my_digest},
}
