"""Bounded input (issue 11, findings 7 and 8): every date a user types or puts in a URL lies
between 2000-01-01 and 2100-12-31 (tighter where the domain says so), ids in query strings
are bounded, text has a maximum length. Bad values are refused in Chinese, never a 500."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django import forms
from django.utils import timezone

from residency.bounded_input import (
    EARLIEST_DATE,
    LATEST_DATE,
    BoundedDateField,
    parse_id,
)

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def test_the_bounded_date_field_accepts_the_first_and_last_day():
    class F(forms.Form):
        day = BoundedDateField()

    for day in (EARLIEST_DATE, LATEST_DATE):
        form = F({"day": day.isoformat()})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == day


@pytest.mark.parametrize("raw", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_the_bounded_date_field_refuses_dates_outside_in_chinese(raw):
    class F(forms.Form):
        day = BoundedDateField()

    form = F({"day": raw})
    assert not form.is_valid()
    assert "2000-01-01" in form.errors["day"][0] and "2100-12-31" in form.errors["day"][0]


def test_a_tighter_bound_is_named_in_the_error():
    class F(forms.Form):
        day = BoundedDateField(earliest=date(2026, 1, 1), latest=date(2026, 12, 31))

    form = F({"day": "2027-01-01"})
    assert not form.is_valid() and "2026-12-31" in form.errors["day"][0]


@pytest.mark.parametrize(("raw", "expected"), [
    ("12", 12), (" 7 ", 7), ("0", None), ("-3", None), (HUGE, None), ("１２", None), ("", None),
    (None, None), ("1e3", None), (str(2**63 - 1), 2**63 - 1), (str(2**63), None)])
def test_ids_from_the_query_string_are_positive_ascii_and_fit_a_bigint(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize("url", [
    "/nightlog/log/?cadre={cadre}&date_from=9999-12-30&date_to=9999-12-31",
    "/nightlog/log/?cadre={cadre}&date_from=0001-01-01&date_to=0001-01-01",
    "/nightlog/log/?cadre=" + HUGE,
    "/nightlog/coverage/?date_from=9999-12-01&date_to=9999-12-31",
    "/nightlog/coverage/?date_from=0001-01-01&date_to=0001-01-31",
    "/nightlog/coverage/?village=" + HUGE,
    "/nightlog/households/?village=" + HUGE,
    "/residency/villages/?township=" + HUGE,
    "/nightlog/cards/print/?cadre=" + HUGE,
])
@pytest.mark.parametrize("role", ["org_department", "township_admin", "cadre"])
def test_out_of_range_dates_and_ids_in_the_url_never_give_a_500(client, people, households, url, role):
    user = people[role]
    client.force_login(getattr(user, "user", user))
    response = client.get(url.format(cadre=people["cadre"].pk))
    assert response.status_code in (200, 302, 403, 404)
