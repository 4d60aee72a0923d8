"""Shared fixtures: the directory, one user per role, and service checks.

Tests that need PostgreSQL or Redis skip on a laptop without them, but fail when ``CI``
is set (CI must run everything for real)."""
from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
from django.db import connection

from tests.residency.factories import (
    make_cadre,
    make_county,
    make_household,
    make_official,
    make_township,
    make_village,
)

IN_CI = bool(os.environ.get("CI"))


def need_service(available: bool, what: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} not available on this machine")


@contextmanager
def audit_log_guard_lifted():
    """Lift the audit log's append-only triggers while a transactional test's database is
    flushed (TRUNCATE on PostgreSQL, DELETE on SQLite), and put them back."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE residency_auditlog DISABLE TRIGGER USER")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE residency_auditlog ENABLE TRIGGER USER")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = 'residency_auditlog'")
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)
    else:
        yield


@pytest.fixture(scope="session", autouse=True)
def _transactional_tests_can_flush_the_audit_log():
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown

    def teardown(self):
        with audit_log_guard_lifted():
            original(self)

    TransactionTestCase._fixture_teardown = teardown
    yield
    TransactionTestCase._fixture_teardown = original


@pytest.fixture
def require_postgres():
    need_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    ok = False
    if url:
        import redis

        try:
            ok = bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
        except redis.RedisError:
            ok = False
    need_service(ok, "Redis (REDIS_URL)")
    return url


@pytest.fixture
def directory(db):
    """Two counties; county A has two townships with two villages each."""
    county = make_county(code="330483", name="测试县")
    other_county = make_county(code="330400", name="外县")
    t1 = make_township(county, code="001", name="甲镇")
    t2 = make_township(county, code="002", name="乙街道", kind="subdistrict")
    t3 = make_township(other_county, code="001", name="外镇")
    v11 = make_village(t1, code="001", name="东村")
    v12 = make_village(t1, code="002", name="西村")
    v21 = make_village(t2, code="001", name="南社区")
    v31 = make_village(t3, code="001", name="外村")
    return {"county": county, "other_county": other_county, "t1": t1, "t2": t2, "t3": t3,
            "v11": v11, "v12": v12, "v21": v21, "v31": v31}


@pytest.fixture
def people(directory):
    """One login per role, scoped into ``directory``."""
    d = directory
    return {
        "cadre": make_cadre(d["v11"], username="cadre1", phone="13800000001"),
        "cadre_other": make_cadre(d["v12"], username="cadre2", phone="13800000002"),
        "cadre_far": make_cadre(d["v31"], username="cadre3", phone="13800000003"),
        "township_admin": make_official("township_admin", username="tadmin", township=d["t1"]),
        "org_department": make_official("org_department", username="org", county=d["county"]),
        "inspector": make_official("inspector", username="insp", villages=[d["v11"]]),
        "village_cadre": make_official("village_cadre", username="vcadre", village=d["v11"]),
        "province_viewer": make_official("province_viewer", username="prov"),
        "system_admin": make_official("system_admin", username="sysadmin"),
    }


@pytest.fixture
def households(directory):
    d = directory
    return {
        "h11": make_household(d["v11"], head="王大明", categories=["hardship"]),
        "h12": make_household(d["v12"], head="李小红", categories=[]),
        "h31": make_household(d["v31"], head="赵一", categories=["key_person"]),
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the rate limits (login, ballot codes) keep their
    counters there, and a test that posts junk codes must not lock the next test out."""
    from django.core.cache import cache

    cache.clear()
    yield
