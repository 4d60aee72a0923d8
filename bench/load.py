"""Load benchmark: the evening mix against a running server (issue 14, item 2).

Start the server with the bench URLs (they add the bare page ``/bench/bare/``), then run::

    DJANGO_BENCH_URLS=1 DJANGO_SETTINGS_MODULE=tongxiang.settings.production ... \\
        .venv/bin/gunicorn tongxiang.wsgi -w 5 -b 127.0.0.1:8014
    .venv/bin/python bench/load.py --base http://127.0.0.1:8014 --users 50 --duration 60
    .venv/bin/python bench/load.py --base http://127.0.0.1:8014 --users 1 --duration 60  # alone
    .venv/bin/python bench/load.py --base http://127.0.0.1:8014 --smoke                # a few s

Each simulated user logs in through the login form (demo logins from ``seed_demo`` or
``bench/make_data.py``, password ``Zhucun2013``) and then clicks without pause through its
role's pages, chosen at random with fixed weights:

- cadres (80% of users): home, my nights with tonight's check-in (and the check-in POST when
  the form is open), household search, the visit form, the night log;
- township admins (15%): the roster grid of this week, the township dashboard, statistics;
- the organisation department (5%): the review queue (candidate incidents), reports, the
  county dashboard.

Every user also asks for the bare page (a template, no query) one request in ten, so the
same run gives its figures and every page is reported as a multiple of it. Threads, one
keep-alive connection each, standard library only; bounded by ``--duration`` and
``--max-requests``; loopback only (any other host is refused). Exits 1 when any response was
a 5xx or a login failed.
"""
from __future__ import annotations

import argparse
import http.client
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urlsplit

PASSWORD = "Zhucun2013"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
BARE = "bare (template, no query)"

# (page label, path or a callable of the user's discovered links, weight)
CADRE_PAGES = [
    ("cadre: home", "/", 3),
    ("cadre: my nights / check-in", "/residency/my-nights/", 2),
    ("cadre: household search", "/nightlog/households/?q={surname}", 2),
    ("cadre: record a visit (form)", "/nightlog/visits/new/", 2),
    ("cadre: night log", "/nightlog/log/", 2),
]
TOWNSHIP_PAGES = [
    ("township: home", "/", 1),
    ("township: roster grid", "{grid}", 2),
    ("township: dashboard", "/residency/dashboard/township/", 2),
    ("township: statistics", "/appraisal/statistics/", 1),
]
ORG_PAGES = [
    ("org: home", "/", 1),
    ("org: review queue", "/appraisal/violations/?status=candidate", 2),
    ("org: reports", "/appraisal/reports/", 2),
    ("org: county dashboard", "/residency/dashboard/county/", 1),
    ("org: statistics", "/appraisal/statistics/", 1),
]
SURNAMES = "沈徐张王陈李朱钱陆吴周姚"


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    errors: list[str] = field(default_factory=list)
    requests: int = 0

    def add(self, label: str, status: int, seconds: float) -> None:
        with self.lock:
            self.times[label].append(seconds)
            self.statuses[label][status] += 1
            self.requests += 1

    def error(self, text: str) -> None:
        with self.lock:
            if len(self.errors) < 50:
                self.errors.append(text)


class Client:
    """One keep-alive connection with its cookies (the session and the CSRF token)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(host, port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, str]:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "bench/load.py"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt == 2:
                    raise
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _eq, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""'):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return response.status, response.getheader("Location") or "", text


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


class SimulatedUser(threading.Thread):
    def __init__(self, *, index: int, role: str, username: str, args, stats: Stats,
                 clock: dict, budget: Budget, barrier: threading.Barrier) -> None:
        super().__init__(daemon=True)
        self.index, self.role, self.username = index, role, username
        self.args, self.stats, self.clock, self.budget = args, stats, clock, budget
        self.barrier = barrier
        self.rng = random.Random(index)
        self.links: dict[str, str] = {}
        self.checkin_form: tuple[str, str] | None = None

    def timed(self, client: Client, label: str, method: str, path: str, body=None):
        started = time.perf_counter()
        try:
            status, location, text = client.request(method, path, body)
        except Exception as exc:  # a refused or dropped connection counts as an error
            self.stats.add(label, 599, time.perf_counter() - started)
            self.stats.error(f"{label} {path}: {exc!r}")
            return 599, "", ""
        self.stats.add(label, status, time.perf_counter() - started)
        if status >= 500:
            self.stats.error(f"{label} {path}: HTTP {status}")
        return status, location, text

    def login(self, client: Client) -> bool:
        if self.try_login(client):
            return True
        # A generated name that is not in this database (the demo's own login took its
        # number): log in as the role's demo login instead.
        fallback = {"cadre": "demo_cadre", "township": "demo_township"}.get(self.role)
        if fallback and fallback != self.username:
            self.username = fallback
            return self.try_login(client)
        return False

    def try_login(self, client: Client) -> bool:
        status, _loc, html = client.request("GET", "/accounts/login/")
        token = csrf_token(html)
        status, location, _text = client.request("POST", "/accounts/login/", {
            "csrfmiddlewaretoken": token, "username": self.username,
            "password": self.args.password})
        if status != 302 or "login" in location:
            if self.role not in ("cadre", "township") or self.username.startswith("demo_"):
                self.stats.error(f"login {self.username}: HTTP {status} -> "
                                 f"{location or 'form again'}")
            return False
        return True

    def discover(self, client: Client) -> None:
        """Links that depend on the user: this week's grid, tonight's check-in form."""
        _status, _loc, html = client.request("GET", "/")
        match = re.search(r'href="(/residency/roster/\d+/\d{4}-W\d{2}/)"', html)
        if match:
            self.links["grid"] = match.group(1)
        _status, _loc, html = client.request("GET", "/residency/my-nights/")
        match = re.search(r'action="(/residency/stays/\d+/checkin/)"', html)
        if match:
            self.checkin_form = (match.group(1), csrf_token(html))

    def run(self) -> None:
        client = Client(self.args.host, self.args.port)
        if self.role == "bare":
            self.barrier.wait(timeout=120)
            while time.monotonic() < self.clock["deadline"] and self.budget.take():
                self.timed(client, BARE, "GET", "/bench/bare/")
            return
        try:
            ready = self.login(client)
            if ready:
                self.discover(client)
        except Exception as exc:
            self.stats.error(f"login {self.username}: {exc!r}")
            ready = False
        try:
            self.barrier.wait(timeout=120)
        except threading.BrokenBarrierError:
            pass
        if not ready:
            return
        pages = {"cadre": CADRE_PAGES, "township": TOWNSHIP_PAGES, "org": ORG_PAGES}[self.role]
        pages = [p for p in pages if "{grid}" not in p[1] or "grid" in self.links]
        weights = [p[2] for p in pages]
        while time.monotonic() < self.clock["deadline"] and self.budget.take():
            if self.rng.random() < 0.1:
                self.timed(client, BARE, "GET", "/bench/bare/")
                continue
            label, path, _w = self.rng.choices(pages, weights=weights)[0]
            path = path.format(surname=quote(self.rng.choice(SURNAMES)), **self.links)
            self.timed(client, label, "GET", path)
            if label.startswith("cadre: my nights") and self.checkin_form:
                action, token = self.checkin_form
                self.checkin_form = None  # one check-in a user: the next would be refused
                self.timed(client, "cadre: check-in (POST)", "POST", action, {
                    "csrfmiddlewaretoken": token, "next": "/residency/my-nights/",
                    "position_status": "denied", "latitude": "", "longitude": "",
                    "accuracy": ""})


class Budget:
    """At most ``limit`` requests in the whole run."""

    def __init__(self, limit: int) -> None:
        self.left = limit
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


def usernames(role: str, count: int, offset: int) -> list[str]:
    if role == "cadre":
        return ["demo_cadre"] + [f"cadre{(offset + i) % 900 + 1:04d}" for i in range(count - 1)]
    if role == "township":
        return ["demo_township"] + [f"township{(offset + i) % 11 + 2:03d}" for i in range(count - 1)]
    if role == "org":
        return ["demo_org"] * count
    return ["-"] * count


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(stats: Stats, elapsed: float, users: int) -> str:
    lines = [f"{stats.requests:,} requests in {elapsed:.1f} s with {users} users: "
             f"{stats.requests / elapsed:.1f} requests/s", ""]
    bare = stats.times.get(BARE)
    bare_p50 = statistics.median(bare) if bare else None
    lines.append(f"{'page':34} {'n':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
                 f"{'p50/bare':>9}  statuses")
    for label in sorted(stats.times, key=lambda k: (k != BARE, k)):
        times = stats.times[label]
        p50 = statistics.median(times)
        ratio = f"{p50 / bare_p50:.1f}x" if bare_p50 else "-"
        codes = " ".join(f"{code}:{n}" for code, n in sorted(stats.statuses[label].items()))
        lines.append(f"{label:34} {len(times):>6} {len(times) / elapsed:>7.1f} {p50 * 1000:>8.1f} "
                     f"{percentile(times, 0.95) * 1000:>8.1f} {percentile(times, 0.99) * 1000:>8.1f} "
                     f"{ratio:>9}  {codes}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Replay the evening mix against a local server.")
    parser.add_argument("--base", default="http://127.0.0.1:8000",
                        help="the server (loopback only; default http://127.0.0.1:8000)")
    parser.add_argument("--users", type=int, default=20, help="simulated users (default 20)")
    parser.add_argument("--duration", type=float, default=30, help="seconds (default 30)")
    parser.add_argument("--max-requests", type=int, default=100_000,
                        help="stop after this many requests (default 100,000)")
    parser.add_argument("--password", default=PASSWORD, help="the demo logins' password")
    parser.add_argument("--role", choices=("cadre", "township", "org", "bare"), default=None,
                        help="every user in this role (--users 1 --role org: pages alone; "
                             "--role bare: only the bare page, its throughput)")
    parser.add_argument("--smoke", action="store_true",
                        help="a few seconds, 4 users, at most 200 requests (make test)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.users, args.duration, args.max_requests = 4, 4, 200
    parts = urlsplit(args.base)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        parser.error("--base must be http:// on the loopback (127.0.0.1 or localhost)")
    args.host, args.port = parts.hostname, parts.port or 80

    roles = (["cadre"] * max(1, round(args.users * 0.8)))
    roles += ["township"] * max(1 if args.users >= 3 else 0, round(args.users * 0.15))
    roles += ["org"] * max(1 if args.users >= 3 else 0, args.users - len(roles))
    roles = roles[:max(args.users, 1)]
    if args.role:
        roles = [args.role] * max(args.users, 1)
    names = {role: iter(usernames(role, roles.count(role), 0)) for role in set(roles)}
    stats = Stats()
    budget = Budget(args.max_requests)
    # Logging in and discovery are not timed: every user waits at the barrier, then the
    # clock starts.
    clock = {"start": time.monotonic(), "deadline": time.monotonic() + args.duration + 120}

    def start_clock() -> None:  # runs once, before anyone passes the barrier
        clock["start"] = time.monotonic()
        clock["deadline"] = clock["start"] + args.duration

    barrier = threading.Barrier(len(roles) + 1, action=start_clock)
    threads = [SimulatedUser(index=i, role=role, username=next(names[role]), args=args,
                             stats=stats, clock=clock, budget=budget, barrier=barrier)
               for i, role in enumerate(roles)]
    for thread in threads:
        thread.start()
    try:
        barrier.wait(timeout=120)
    except threading.BrokenBarrierError:
        print("some users did not log in within 120 s", file=sys.stderr)
    for thread in threads:
        thread.join(timeout=args.duration + 120)
    elapsed = time.monotonic() - clock["start"]
    print(report(stats, elapsed, len(threads)))
    five_xx = sum(n for codes in stats.statuses.values() for code, n in codes.items() if code >= 500)
    if stats.errors:
        print("\nerrors:", *stats.errors[:20], sep="\n  ")
    if five_xx or any(e.startswith("login") for e in stats.errors) or not stats.requests:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
