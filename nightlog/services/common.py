from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from residency.models import Cadre, Station


def station_village_ids(cadre: Cadre) -> set[int]:
    return set(Station.objects.filter(cadre=cadre, end__isnull=True)
               .values_list("village_id", flat=True))


def check_household_in_station(cadre: Cadre, household, field: str = "household") -> None:
    if household.village_id not in station_village_ids(cadre):
        raise ValidationError({field: _("只能选择本人驻村村内的农户。")})

