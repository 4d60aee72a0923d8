"""Random input to every form and every list filter, as every role (issue 11, finding 7).

The URLs and roles come from the permission matrix (tests/test_permission_matrix.py). For
each URL a role may use, the page is read once to learn the names of its fields (query
filters of GET forms, fields of POST forms); hypothesis then sends random and hostile
values: far dates, huge ids, non-ASCII digits, long text, control characters. No request
may raise (a 500), and a POST that is refused (anything but a redirect) must leave every
table of the apps as it was: no half-saved record."""
from __future__ import annotations

import os
import re

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from residency.access.roles import Role
from tests.test_permission_matrix import MATRIX, user_for

pytestmark = pytest.mark.django_db

EXAMPLES_PER_ROLE = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# URLs whose effect would end the fuzzing session itself, not input handling.
SKIP = {"logout", "password_change"}
FILTER_NAMES = ["date_from", "date_to", "cadre", "village", "township", "county", "year",
                "month", "week", "page", "status", "source", "q", "category", "household",
                "action", "kind", "unread", "overdue", "mine", "format", "copies", "night"]
HOSTILE = ["0001-01-01", "9999-12-31", "9999-12-30", "2100-W52", "0000-00-00", "2026-02-30",
           "99999999999999999999", "-1", "0", "²", "１２", "1e9", "NaN", "", " ", "\x00",
           "' OR '1'='1", "<script>alert(1)</script>", "=HYPERLINK(\"http://e.vil\")",
           "情" * 5000, "2026-13-01T25:61", "9999-12-31T23:59", "0001-01-01T00:00", "on", "1"]
FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*?\bname="([^"]+)"', re.S)
OPTION = re.compile(r'<option\b[^>]*?\bvalue="([^"]*)"')
FORM = re.compile(r'<form\b([^>]*)>(.*?)</form>', re.S)
APP_LABELS = ("residency", "nightlog", "appraisal", "notifications")
SKIPPED: set[str] = set()
NOT_COUNTED = {"auditlog", "notification", "delivery"}  # reads are audited; reminders may queue


def _counted_models():
    return [m for label in APP_LABELS for m in apps.get_app_config(label).get_models()
            if m._meta.model_name not in NOT_COUNTED and not m._meta.proxy]


def _snapshot(models) -> dict:
    return {m._meta.label: m._default_manager.count() for m in models}


def _fields_of(html: str) -> tuple[list[str], list[str], list[str]]:
    """(GET field names, POST field names, option values seen on the page)."""
    get_names, post_names = [], []
    for attrs, body in FORM.findall(html):
        names = [n for n in FIELD.findall(body) if n != "csrfmiddlewaretoken"]
        (post_names if 'method="post"' in attrs.lower() else get_names).extend(names)
    return sorted(set(get_names)), sorted(set(post_names)), sorted(set(OPTION.findall(html)) - {""})


def _targets(client, ctx, role):
    """(url, method, field names, option values) for every URL the role may use."""
    targets = []
    for name, spec in sorted(MATRIX.items()):
        if name in SKIP or spec.get("public") or role not in spec["roles"]:
            continue
        try:
            with transaction.atomic():  # the matrix's object factories assume a fresh database
                kwargs = spec["in"](ctx) if "in" in spec else None
        except IntegrityError:
            SKIPPED.add(name)
            continue
        url = reverse(name, kwargs=kwargs)
        if spec.get("method") == "post":
            seed = sorted(spec["data"](ctx)) if "data" in spec else ["note"]
            targets.append((url, "post", seed, []))
            continue
        response = client.get(url)
        html = ""
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            html = response.content.decode(errors="replace")
        get_names, post_names, options = _fields_of(html)
        # The page's own filters; where it has none, the filter names the views read.
        targets.append((url, "get", get_names or FILTER_NAMES, options))
        if post_names:
            targets.append((url, "post", post_names, options))
    return targets


DATE_LIKE = re.compile(r"date|_on$|^day$|^start$|^end$|night|_at$|^at$|month|week|year|due")
ID_LIKE = re.compile(r"cadre|village|township|county|household|owner|colleague|other|stay|^page$|"
                     r"count|copies|^t_")
FAR_DATES = ["0001-01-01", "9999-12-31", "9999-12-30", "1999-12-31", "2101-01-01", "2100-W52",
             "0001-W01", "9999-12", "0000-00-00", "2026-02-30", "9999-12-31T23:59",
             "0001-01-01T00:00", "2026-13-01T25:61", "9999", "0"]
BAD_IDS = ["99999999999999999999", str(2**63), "-1", "0", "²", "１２", "1e9", "NaN", " 7 ", "\x00"]


def _value(name: str, options: list[str]):
    """Hostile values of the kind the field expects, sometimes a valid option of the page,
    sometimes anything at all."""
    specific = FAR_DATES if DATE_LIKE.search(name) else BAD_IDS if ID_LIKE.search(name) else HOSTILE
    branches = [st.sampled_from(specific)] * 4 + [st.sampled_from(HOSTILE), st.text(max_size=8)]
    if options:
        branches.append(st.sampled_from(options[:60]))
    return st.one_of(*branches)


@pytest.fixture
def ctx(people, directory, households):
    return {**people, **directory, **households}  # as in the permission matrix


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_random_input_to_every_form_and_filter_gives_no_500_and_no_half_saved_record(
        client, ctx, role):
    user = user_for(ctx, role)
    client.force_login(user)
    targets = _targets(client, ctx, role)
    assert targets
    models = _counted_models()

    # No shrinking: each example walks every page, and the failing request is in the message.
    @settings(max_examples=EXAMPLES_PER_ROLE, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def fuzz(data):
        # Every example sends one random request to every form and filter of the role.
        for url, method, names, options in targets:
            payload = {n: data.draw(_value(n, options)) for n in names if data.draw(st.booleans())}
            client.force_login(user)
            before = _snapshot(models) if method == "post" else None
            response = getattr(client, method)(url, payload)
            assert response.status_code != 500, (method, url, payload)
            if response.streaming:
                b"".join(response.streaming_content)  # an export fails while it streams
            if method == "post" and response.status_code not in (301, 302, 303):
                assert _snapshot(models) == before, (url, payload, response.status_code)

    fuzz()


@given(code=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40)),
       extra=st.dictionaries(st.sampled_from(["submit_ballot", "cadre_1", "code"]),
                             st.sampled_from(HOSTILE), max_size=3))
@settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_random_input_to_the_public_pages_gives_no_500(client, code, extra):
    for url in (reverse("appraisal:ballot"), reverse("login")):
        response = client.post(url, {"code": code, "username": code, "password": code, **extra})
        assert response.status_code != 500
