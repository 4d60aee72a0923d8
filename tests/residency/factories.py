"""Plain factory functions: small, explicit, no magic."""
from __future__ import annotations

import itertools
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from nightlog.models import Household
from residency.access.roles import Role
from residency.models import Cadre, County, Official, Station, Township, Village

PASSWORD = "Passw0rd-test"
_seq = itertools.count(1)


def make_county(*, code: str | None = None, name: str = "县") -> County:
    return County.objects.create(code=code or f"C{next(_seq):05d}", name=name)


def make_township(county: County, *, code: str | None = None, name: str = "镇",
                  kind: str = "town") -> Township:
    return Township.objects.create(county=county, code=code or f"{next(_seq):03d}", name=name,
                                   kind=kind)


def make_village(township: Township, *, code: str | None = None, name: str = "村") -> Village:
    return Village.objects.create(township=township, code=code or f"{next(_seq):03d}", name=name)


def make_user(username: str | None = None, *, role: Role | str | None = None, **extra):
    User = get_user_model()
    user = User.objects.create_user(username=username or f"user{next(_seq)}", password=PASSWORD,
                                    **extra)
    if role and Role(role) != Role.SYSTEM_ADMIN:
        group, _ = Group.objects.get_or_create(name=Role(role).value)
        user.groups.add(group)
    return user


def make_cadre(village: Village, *, username: str | None = None, name: str | None = None,
               phone: str = "", position: str = "科员", start: date = date(2026, 1, 1)) -> Cadre:
    user = make_user(username, role=Role.CADRE)
    cadre = Cadre.objects.create(user=user, township=village.township, name=name or user.username,
                                 position=position, phone=phone)
    Station.objects.create(cadre=cadre, village=village, start=start)
    return cadre


def make_official(role: str, *, username: str | None = None, county=None, township=None,
                  village=None, villages=(), phone: str = ""):
    extra = {"is_superuser": True, "is_staff": True} if role == Role.SYSTEM_ADMIN else {}
    user = make_user(username, role=role, **extra)
    official = Official.objects.create(user=user, name=user.username, county=county,
                                       township=township, village=village, phone=phone)
    if villages:
        official.inspected_villages.set(villages)
    return user


def free_id_card() -> str:
    """A valid ID card number no household holds yet (ID cards are unique): the first is
    330483199001011239 and every one masks to 330483********1239, whatever the test order."""
    from datetime import timedelta

    from residency.privacy.masking import id_card_check_digit

    taken = set(Household.objects.filter(id_card__startswith="330483", id_card__endswith="1239")
                .values_list("id_card", flat=True))
    born = date(1990, 1, 1)
    while True:
        first17 = f"330483{born:%Y%m%d}123"
        number = first17 + id_card_check_digit(first17)
        if number.endswith("9") and number not in taken:
            return number
        born += timedelta(days=1)


def make_household(village: Village, *, head: str = "户主", categories=(), is_key: bool = False,
                   phone: str = "13912345678", id_card: str | None = None,
                   group: str = "一组") -> Household:
    id_card = free_id_card() if id_card is None else id_card
    return Household.objects.create(village=village, head=head, categories=list(categories),
                                    is_key=is_key, phone=phone, id_card=id_card, group=group,
                                    address=f"{village.name}{group}")
