"""What validation needs from the database, read in a fixed number of queries (reads).

Every function returns plain values (ids, codes, names), so the kind modules validate
without touching the ORM. Lookups by a file's values are chunked; below ``CHUNK`` values
each is one query, so a page's cost does not grow with the file.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from residency.batching import chunked
from residency.importing.places import Place, Places
from residency.models import Cadre, County, Official, Station, Township, Village

CHUNK = 2000


def chunks(values: Iterable, size: int = CHUNK):
    """The distinct values, sorted, in batches for ``IN`` lookups."""
    return chunked(sorted(set(values)), size)


def counties_by_code(*, county_id: int | None = None) -> dict[str, tuple[int, str]]:
    qs = County.objects.all() if county_id is None else County.objects.filter(pk=county_id)
    return {code: (pk, name) for pk, code, name in qs.values_list("pk", "code", "name")}


def township_keys(*, county_ids: Iterable[int]) -> tuple[set[tuple[int, str]], set[tuple[int, str]]]:
    """(county_id, code) and (county_id, name) of the existing townships."""
    codes, names = set(), set()
    for county_id, code, name in Township.objects.filter(county_id__in=list(county_ids)).values_list(
            "county_id", "code", "name"):
        codes.add((county_id, code))
        names.add((county_id, name))
    return codes, names


def county_places(*, county_id: int | None) -> Places:
    """The townships and villages of a county (two queries)."""
    if county_id is None:
        return Places()
    townships = [Place(pk, code, name, county)
                 for pk, code, name, county in Township.objects.filter(county_id=county_id)
                 .values_list("pk", "code", "name", "county_id")]
    villages = [Place(pk, code, name, township)
                for pk, code, name, township in Village.objects.filter(township__county_id=county_id)
                .values_list("pk", "code", "name", "township_id")]
    return Places(townships=townships, villages=villages)


@dataclass(frozen=True)
class ExistingUser:
    user_id: int
    cadre_id: int | None
    township_id: int | None
    county_id: int | None
    station_id: int | None  # the open station
    station_village_id: int | None
    station_start: date | None


def existing_users(*, usernames: Iterable[str]) -> dict[str, ExistingUser]:
    """Accounts already holding these usernames, with their cadre and open station."""
    User = get_user_model()
    found: dict[str, ExistingUser] = {}
    for chunk in chunks(usernames):
        users = list(User.objects.filter(username__in=chunk).values_list(
            "pk", "username", "cadre__pk", "cadre__township_id", "cadre__township__county_id"))
        stations = {cadre_id: (pk, village_id, start) for pk, cadre_id, village_id, start in
                    Station.objects.filter(cadre__user__username__in=chunk, end__isnull=True)
                    .values_list("pk", "cadre_id", "village_id", "start")}
        for pk, username, cadre_id, township_id, county_id in users:
            station = stations.get(cadre_id, (None, None, None))
            found[username] = ExistingUser(pk, cadre_id, township_id, county_id, *station)
    return found


def phones_in_use(*, phones: Iterable[str]) -> dict[str, int | None]:
    """Phone -> the cadre holding it (None when an official holds it)."""
    used: dict[str, int | None] = {}
    for chunk in chunks(p for p in phones if p):
        for phone in Official.objects.filter(phone__in=chunk).values_list("phone", flat=True):
            used[phone] = None
        for cadre_id, phone in Cadre.objects.filter(phone__in=chunk).values_list("pk", "phone"):
            used[phone] = cadre_id
    return used

