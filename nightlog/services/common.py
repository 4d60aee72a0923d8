from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from residency.directory.stations import in_force_on_q
from residency.models import Cadre, Station


def station_village_ids(cadre: Cadre) -> set[int]:
    """The villages the cadre is stationed in today (a station starting later: not yet)."""
    return set(Station.objects.filter(in_force_on_q(timezone.localdate()), cadre=cadre)
               .values_list("village_id", flat=True))


def check_household_in_station(cadre: Cadre, household, field: str = "household") -> None:
    if household.village_id not in station_village_ids(cadre):
        raise ValidationError({field: _("只能选择本人驻村村内的农户。")})

