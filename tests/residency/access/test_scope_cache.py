"""A user's role and scope are kept in the cache between requests, and forgotten as soon as
anything they are made of changes: his groups, his cadre or official row, his stations, his
inspected villages, any township or village, the directory import, the date."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from residency.access import scope_cache
from residency.access.roles import Role
from residency.access.scoping import build_scope, get_scope
from residency.models import Station

pytestmark = pytest.mark.django_db


def scope_of(user):
    """What a request does: a fresh user row, then ``get_scope``."""
    fresh = get_user_model().objects.get(pk=user.pk)
    return get_scope(SimpleNamespace(user=fresh)), fresh


def test_the_second_request_builds_nothing(people, django_assert_num_queries):
    user = people["cadre"].user
    first, _ = scope_of(user)
    fresh = get_user_model().objects.get(pk=user.pk)
    with django_assert_num_queries(0):
        again = get_scope(SimpleNamespace(user=fresh))
        assert fresh.cadre.township.name == "甲镇"  # the cadre row and township come along
    assert again == first == build_scope(fresh)


def test_a_station_that_ends_or_starts_changes_the_scope_at_once(people, directory):
    cadre = people["cadre"]
    assert scope_of(cadre.user)[0].village_ids == {directory["v11"].pk}
    station = Station.objects.get(cadre=cadre)
    station.end = timezone.localdate() - timedelta(days=1)
    station.save()
    Station.objects.create(cadre=cadre, village=directory["v12"], start=timezone.localdate())
    assert scope_of(cadre.user)[0].village_ids == {directory["v12"].pk}


def test_a_role_taken_away_is_taken_away_on_the_next_request(people):
    user = people["township_admin"]
    assert scope_of(user)[0].role == Role.TOWNSHIP_ADMIN
    user.groups.remove(Group.objects.get(name=Role.TOWNSHIP_ADMIN.value))
    scope, fresh = scope_of(user)
    assert scope.role is None and scope.level == "none"
    Group.objects.get(name=Role.TOWNSHIP_ADMIN.value).user_set.add(user)
    assert scope_of(user)[0].role == Role.TOWNSHIP_ADMIN


def test_inspected_villages_and_the_official_row(people, directory):
    inspector = people["inspector"]
    assert scope_of(inspector)[0].village_ids == {directory["v11"].pk}
    inspector.official.inspected_villages.add(directory["v12"])
    assert scope_of(inspector)[0].village_ids == {directory["v11"].pk, directory["v12"].pk}
    directory["v12"].inspectors.remove(inspector.official)
    assert scope_of(inspector)[0].village_ids == {directory["v11"].pk}
    admin = people["township_admin"]
    assert scope_of(admin)[0].township_ids == {directory["t1"].pk}
    admin.official.township = directory["t2"]
    admin.official.save()
    assert scope_of(admin)[0].township_ids == {directory["t2"].pk}


def test_a_village_moved_to_another_township_forgets_every_scope(people, directory):
    village_cadre = people["village_cadre"]
    assert scope_of(village_cadre)[0].township_ids == {directory["t1"].pk}
    v11 = directory["v11"]
    v11.township, v11.code = directory["t2"], "911"
    v11.save()
    assert scope_of(village_cadre)[0].township_ids == {directory["t2"].pk}


def test_the_import_and_a_new_day_rebuild_the_scope(people, directory, monkeypatch):
    cadre = people["cadre"]
    scope_of(cadre.user)
    Station.objects.filter(cadre=cadre).update(village=directory["v12"])  # a bulk write: no signal
    assert scope_of(cadre.user)[0].village_ids == {directory["v11"].pk}  # kept (until forgotten)
    scope_cache.forget_all()  # what the directory import does after its bulk writes
    assert scope_of(cadre.user)[0].village_ids == {directory["v12"].pk}
    Station.objects.filter(cadre=cadre).update(village=directory["v11"])
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(scope_cache.timezone, "localdate", lambda: tomorrow)
    assert scope_of(cadre.user)[0].village_ids == {directory["v11"].pk}


def test_zero_seconds_turns_the_cache_off(people, settings, django_assert_num_queries):
    settings.SCOPE_CACHE_SECONDS = 0
    user = people["cadre"].user
    scope_of(user)
    fresh = get_user_model().objects.get(pk=user.pk)
    with django_assert_num_queries(3):  # groups, cadre with township, stations
        get_scope(SimpleNamespace(user=fresh))


def test_a_deactivated_cadre_is_forgotten(people):
    cadre = people["cadre"]
    scope_of(cadre.user)
    cadre.active = False
    cadre.save()
    assert scope_cache.cache.get(scope_cache._key(cadre.user_id)) is None
