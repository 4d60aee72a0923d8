"""Seed the private database of the fault tests and print what the load needs as JSON:
N cadres (10 per village) with a logged-in session each, tonight's published stay and a
household of their village each. Run as ``python -m tests.reliability.seed N`` with
DJANGO_SETTINGS_MODULE=tests.reliability.server_settings and DATABASE_URL set."""
from __future__ import annotations

import json
import sys

import django


def main(n: int) -> dict:
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from tests.notifications.factories import make_stay
    from tests.residency.factories import (
        make_cadre,
        make_county,
        make_household,
        make_township,
        make_village,
    )

    county = make_county(code="330483", name="测试县")
    township = make_township(county, code="001", name="甲镇")
    villages = [make_village(township, code=f"{i + 1:03d}", name=f"负载{i + 1}村")
                for i in range((n + 9) // 10)]
    tonight = timezone.localdate()
    people = []
    for i in range(n):
        village = villages[i // 10]
        cadre = make_cadre(village, username=f"load{i:03d}", phone=f"1380000{i:04d}")
        cadre.user.email = f"load{i:03d}@example.org"
        cadre.user.save(update_fields=["email"])
        stay = make_stay(cadre, tonight)
        household = make_household(village, head=f"户主{i:03d}")
        session = SessionStore()
        session[SESSION_KEY] = str(cadre.user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = cadre.user.get_session_auth_hash()
        session.create()
        people.append({"cadre": cadre.pk, "session": session.session_key, "stay": stay.pk,
                       "household": household.pk})
    return {"tonight": tonight.isoformat(), "people": people}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
