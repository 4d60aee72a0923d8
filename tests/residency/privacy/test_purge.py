"""purge() deletes rows with everything of any app that depends on them, and nothing else;
the audit log keeps its rows (their user goes null)."""
from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from nightlog.models import Household
from residency.models import (
    AuditLog,
    Cadre,
    County,
    Official,
    RosterWeek,
    Station,
    Stay,
    Township,
    Village,
)
from residency.privacy.purge import purge

pytestmark = pytest.mark.django_db


def test_purging_a_county_takes_everything_in_it_across_apps(people, households, directory):
    d = directory
    week = RosterWeek.objects.create(township=d["t1"], week_start=date(2026, 3, 2))
    Stay.objects.create(cadre=people["cadre"], village=d["v11"], night=date(2026, 3, 2), week=week)

    deleted = purge(County.objects.filter(pk=d["county"].pk))

    assert deleted > 10
    assert not County.objects.filter(pk=d["county"].pk).exists()
    assert not Township.objects.filter(county=d["county"].pk).exists()
    assert list(Village.objects.values_list("name", flat=True)) == ["外村"]
    assert list(Cadre.objects.values_list("user__username", flat=True)) == ["cadre3"]
    assert Station.objects.count() == 1 and not Stay.objects.exists()
    assert list(Household.objects.values_list("head", flat=True)) == ["赵一"]
    # Officials scoped into the county go; the inspector (scoped by villages) only loses
    # the villages; those with no county at all stay.
    assert set(Official.objects.values_list("user__username", flat=True)) == {
        "insp", "prov", "sysadmin"}
    assert not Official.objects.get(user__username="insp").inspected_villages.exists()


def test_purging_users_keeps_their_audit_rows_with_the_user_detached(people):
    user = people["cadre_far"].user
    AuditLog.objects.create(user=user, username=user.username, action="login")
    purge(Cadre.objects.filter(pk=people["cadre_far"].pk))
    purge(get_user_model().objects.filter(pk=user.pk))
    row = AuditLog.objects.get(action="login", username="cadre3")
    assert row.user_id is None
    assert not get_user_model().objects.filter(username="cadre3").exists()
    assert get_user_model().objects.filter(username="cadre1").exists()


def test_purging_nothing_deletes_nothing(people):
    before = Cadre.objects.count()
    assert purge(County.objects.filter(code="no-such-county")) == 0
    assert Cadre.objects.count() == before
