"""What the pieces every page shares cost, alone (issue 14's profile): a user row, building a
scope, the same from the cache, the unread badge counted and cached, a session row, one
cache read. Run as bench/pages.py is (same environment, county data)::

    .venv/bin/python bench/request_parts.py [--calls 300] [--user demo_cadre]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxiang.settings.production")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--user", default="demo_cadre")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    from notifications.selectors import cached_unread_count, unread_count
    from residency.access.scoping import build_scope, get_scope

    User = get_user_model()
    user = User.objects.get(username=args.user)

    def timed(label, call):
        call()
        started = time.perf_counter()
        for _ in range(args.calls):
            call()
        print(f"{label:40} {(time.perf_counter() - started) / args.calls * 1000:8.3f} ms", flush=True)

    timed("user row by id", lambda: User.objects.get(pk=user.pk))
    timed("user row + build_scope (3 queries)", lambda: build_scope(User.objects.get(pk=user.pk)))
    timed("user row + get_scope (cached)",
          lambda: get_scope(SimpleNamespace(user=User.objects.get(pk=user.pk))))
    timed("unread badge, counted", lambda: unread_count(user=user))
    timed("unread badge, cached", lambda: cached_unread_count(user=user))
    timed("a session row", lambda: Session.objects.filter(pk="x").first())
    timed("one cache read", lambda: cache.get("x"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
