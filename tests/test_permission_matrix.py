"""Walks every URL in the resolver and asserts what each role gets.

Every named URL must appear in MATRIX (a new view without an entry fails this test):
- anonymous users get the login page (unless the URL is public);
- each role gets the status the matrix names (200/302 allowed, 403 refused);
- for URLs about one object, an object outside the user's scope answers 404;
- nobody ever gets a 500.
"""
from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from residency.access.roles import Role
from tests.appraisal.permission_matrix import APPRAISAL_MATRIX
from tests.nightlog.permission_matrix import NIGHTLOG_MATRIX
from tests.notifications.permission_matrix import NOTIFICATIONS_MATRIX
from tests.residency.exports.permission_matrix import EXPORTS_MATRIX
from tests.residency.importing.permission_matrix import IMPORT_MATRIX
from tests.residency.roster.permission_matrix import ROSTER_MATRIX

pytestmark = pytest.mark.django_db

ALL = set(Role)
STAFF = {Role.SYSTEM_ADMIN, Role.PROVINCE_VIEWER, Role.ORG_DEPARTMENT, Role.TOWNSHIP_ADMIN}

# url name -> (allowed roles, kwargs(ctx) for an in-scope object, kwargs(ctx) out of scope)
# "public" URLs answer without login; "data"(ctx), if given, is the query or form a role sends.
MATRIX: dict[str, dict] = {
    "home": {"roles": ALL},
    "login": {"public": True},
    "logout": {"roles": ALL, "method": "post", "to_login": True},
    "password_change": {"roles": ALL},
    "password_change_done": {"roles": ALL},
    "healthz": {"public": True},
    "pwa-sw": {"public": True},
    "pwa-manifest": {"public": True},
    "pwa-offline": {"public": True},
    "residency:township-list": {"roles": STAFF},
    "residency:village-list": {"roles": STAFF | {Role.INSPECTOR}},
    "residency:village-detail": {
        "roles": STAFF | {Role.INSPECTOR, Role.CADRE, Role.VILLAGE_CADRE},
        "in": lambda c: {"pk": c["v11"].pk}, "out": lambda c: {"pk": c["v31"].pk},
    },
    "residency:cadre-list": {"roles": STAFF | {Role.INSPECTOR}},
    "residency:cadre-detail": {
        "roles": STAFF | {Role.INSPECTOR, Role.CADRE},
        "in": lambda c: {"pk": c["cadre"].pk}, "out": lambda c: {"pk": c["cadre_far"].pk},
    },
    "residency:auditlog-list": {"roles": {Role.SYSTEM_ADMIN, Role.ORG_DEPARTMENT}},
    "nightlog:household-list": {"roles": STAFF | {Role.CADRE}},
    "nightlog:household-detail": {
        "roles": STAFF | {Role.CADRE},
        "in": lambda c: {"pk": c["h11"].pk}, "out": lambda c: {"pk": c["h31"].pk},
    },
    "nightlog:household-detail-full": {
        "roles": STAFF | {Role.CADRE},
        "in": lambda c: {"pk": c["h11"].pk}, "out": lambda c: {"pk": c["h31"].pk},
    },
}

MATRIX.update(NIGHTLOG_MATRIX)
MATRIX.update(IMPORT_MATRIX)
MATRIX.update(ROSTER_MATRIX)
MATRIX.update(APPRAISAL_MATRIX)
MATRIX.update(NOTIFICATIONS_MATRIX)
MATRIX.update(EXPORTS_MATRIX)

# Roles for which the "out of scope" object is in scope (they see every county).
SEES_EVERYTHING = {Role.SYSTEM_ADMIN, Role.PROVINCE_VIEWER}


def named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_urls(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


@pytest.fixture
def ctx(people, directory, households):
    return {**people, **directory, **households}


def user_for(ctx, role: Role):
    value = ctx[role.value]
    return getattr(value, "user", value)


def test_every_named_url_is_in_the_matrix():
    missing = sorted(set(named_urls()) - set(MATRIX))
    assert not missing, f"add these URLs to MATRIX: {missing}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_users_get_the_login_page_unless_public(client, ctx, name):
    spec = MATRIX[name]
    url = reverse(name, kwargs=spec["in"](ctx) if "in" in spec else None)
    response = getattr(client, spec.get("method", "get"))(url)
    if spec.get("public"):
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("name", sorted(n for n in MATRIX if not MATRIX[n].get("public")))
def test_each_role_gets_what_the_matrix_says(client, ctx, name, role):
    spec = MATRIX[name]
    client.force_login(user_for(ctx, role))
    url = reverse(name, kwargs=spec["in"](ctx) if "in" in spec else None)
    data = spec["data"](ctx) if "data" in spec else None
    response = getattr(client, spec.get("method", "get"))(url, data)
    if role in spec["roles"]:
        # The one right answer: a page (200), or for a POST the redirect after success;
        # never a bounce to the login page.
        expected = spec.get("ok", 302 if spec.get("method") == "post" else 200)
        if isinstance(expected, dict):
            expected = expected.get(role, expected.get("others"))
        assert response.status_code == expected, f"{role} {url}: {response.status_code}"
        if expected == 302:
            to_login = response.url.startswith(reverse("login"))
            assert to_login == bool(spec.get("to_login")), f"{role} {url}: {response.url}"
    else:
        assert response.status_code == 403, f"{role} {url}: {response.status_code}"


SCOPE_CASES = sorted(
    (name, role)
    for name, spec in MATRIX.items() if "out" in spec
    for role in spec["roles"] - SEES_EVERYTHING
)


@pytest.mark.parametrize(("name", "role"), SCOPE_CASES, ids=lambda v: str(v))
def test_objects_outside_the_scope_answer_404(client, ctx, name, role):
    spec = MATRIX[name]
    client.force_login(user_for(ctx, role))
    response = client.get(reverse(name, kwargs=spec["out"](ctx)))
    assert response.status_code == 404


def test_the_django_admin_is_for_system_admins_only(client, ctx):
    client.force_login(user_for(ctx, Role.TOWNSHIP_ADMIN))
    assert client.get("/admin/").status_code == 302
    client.force_login(user_for(ctx, Role.SYSTEM_ADMIN))
    assert client.get("/admin/").status_code == 200
