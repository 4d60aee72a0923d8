"""PRIVATE PostgreSQL and Redis for the fault tests, started and stopped here, never the
shared ones: a throw-away cluster (initdb, trust auth, run as the ``postgres`` OS user when
the tests run as root) on a free loopback port, a ``redis-server`` without persistence on
another, and the app server (gunicorn) and worker pointed at them. Everything is removed
at the end, whatever happened. Missing binaries skip on a laptop and fail in CI."""
from __future__ import annotations

import faulthandler
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import need_service

ROOT = Path(__file__).resolve().parents[2]
SERVER_SETTINGS = "tests.reliability.server_settings"
PEOPLE = 50


# What a hard stop must end first: the private processes (its exit skips every ``finally``).
EMERGENCY_STOPS: dict[str, Callable[[], None]] = {}


def hard_stop_after(seconds: float) -> threading.Timer:
    """A hard stop so CI fails instead of hanging (pytest-timeout is not installed): dump
    every thread's stack, stop the private processes, exit."""
    def fire() -> None:
        faulthandler.dump_traceback(all_threads=True)
        for stop in list(EMERGENCY_STOPS.values()):
            try:
                stop()
            except Exception:  # noqa: BLE001 - stopping as much as possible
                pass
        os._exit(1)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    return timer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _wait(predicate, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class PrivatePostgres:
    bindir: Path
    datadir: Path
    port: int
    log: Path
    as_postgres: list[str]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/tongxiang"

    def ctl(self, *args: str) -> None:
        subprocess.run([*self.as_postgres, str(self.bindir / "pg_ctl"), "-D", str(self.datadir),
                        *args], check=True, stdout=subprocess.DEVNULL, timeout=60)

    def start(self) -> None:
        self.ctl("-o", f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off "
                 "-c max_connections=100", "-l", str(self.log), "-w", "start")

    def stop(self) -> None:
        self.ctl("-m", "fast", "-w", "stop")

    def query(self, sql: str, params=()) -> list[tuple]:
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres",
                                dbname="tongxiang", connect_timeout=5)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def private_postgres():
    bindir = _pg_bin()
    need_service(bindir is not None, "PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        need_service(shutil.which("runuser") is not None, "runuser (to run initdb as postgres)")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    tmp = Path(tempfile.mkdtemp(prefix="tx-faults-pg-"))
    if as_postgres:
        shutil.chown(tmp, user="postgres", group="postgres")
    pg = PrivatePostgres(bindir, tmp / "data", free_port(), tmp / "postgres.log", as_postgres)
    started = False
    try:
        subprocess.run([*as_postgres, str(bindir / "initdb"), "-D", str(pg.datadir), "-A", "trust",
                        "-U", "postgres", "-E", "UTF8", "--no-sync"], check=True,
                       stdout=subprocess.DEVNULL, timeout=120)
        pg.start()
        started = True
        EMERGENCY_STOPS["postgres"] = lambda: pg.ctl("-m", "immediate", "stop")
        subprocess.run([*as_postgres, str(bindir / "createdb"), "-h", "127.0.0.1", "-p",
                        str(pg.port), "-U", "postgres", "tongxiang"], check=True, timeout=60)
        yield pg
    finally:
        EMERGENCY_STOPS.pop("postgres", None)
        if started:
            try:
                pg.ctl("-m", "immediate", "stop")
            except subprocess.CalledProcessError:
                pass  # already stopped (a test stops and starts it)
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass
class PrivateRedis:
    port: int
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(self.ping, "the private Redis to answer")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False


@pytest.fixture(scope="module")
def private_redis():
    need_service(shutil.which("redis-server") is not None, "redis-server")
    r = PrivateRedis(free_port())
    EMERGENCY_STOPS["redis"] = r.kill
    try:
        r.start()
        yield r
    finally:
        EMERGENCY_STOPS.pop("redis", None)
        r.stop()


@dataclass
class App:
    base: str
    env: dict
    people: list = field(default_factory=list)
    tonight: str = ""


def _env(pg: PrivatePostgres, redis: PrivateRedis, tmp: Path) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS, "DATABASE_URL": pg.url,
            "REDIS_URL": redis.url, "PYTHONPATH": str(ROOT), "CI": "",
            "TEST_SMS_FILE": str(tmp / "sms.txt"), "TEST_MAIL_DIR": str(tmp / "mail")}


def _manage(env: dict, *args: str, timeout: float = 180) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def app_server(private_postgres, private_redis):
    """The migrated, seeded private database behind a real gunicorn (2 processes x 8
    threads, gthread, as documented in OPERATIONS.md) on a free loopback port."""
    tmp = Path(tempfile.mkdtemp(prefix="tx-faults-app-"))
    env = _env(private_postgres, private_redis, tmp)
    port = free_port()
    proc = None
    log = open(tmp / "gunicorn.log", "wb")
    try:
        _manage(env, "migrate", "--no-input", timeout=300)
        seeded = json.loads(subprocess.run(
            [sys.executable, "-m", "tests.reliability.seed", str(PEOPLE)], cwd=ROOT, env=env,
            capture_output=True, text=True, timeout=120, check=True).stdout)
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tongxiang.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", "2", "-k", "gthread", "--threads", "8", "--timeout", "30",
             "--graceful-timeout", "5"],
            cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
        EMERGENCY_STOPS["gunicorn"] = lambda: os.killpg(proc.pid, signal.SIGKILL)

        def up() -> bool:
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz",
                                              timeout=1).status == 200
            except OSError:
                return False

        _wait(up, "gunicorn to answer", timeout=60)
        yield App(base=f"127.0.0.1:{port}", env=env, people=seeded["people"],
                  tonight=seeded["tonight"])
    finally:
        EMERGENCY_STOPS.pop("gunicorn", None)
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()
        if os.environ.get("RELIABILITY_KEEP_LOGS"):
            print(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
