"""Setting where a village office stands (the point check-ins are measured from) and its
beds for 住夜 (the roster planner's limit per night)."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from residency import audit
from residency.models import Village


@transaction.atomic
def village_position_set(*, village: Village, latitude: Decimal | None,
                         longitude: Decimal | None, by, beds: int | None = None) -> Village:
    """Set (or clear, both None) the village office's latitude and longitude, and its beds
    for 住夜 when ``beds`` is given."""
    if (latitude is None) != (longitude is None):
        raise ValidationError(_("纬度和经度要么都填, 要么都不填。"))
    locked = Village.objects.select_for_update().get(pk=village.pk)
    previous = [str(locked.latitude) if locked.latitude is not None else None,
                str(locked.longitude) if locked.longitude is not None else None]
    previous_beds = locked.beds
    locked.latitude, locked.longitude = latitude, longitude
    if beds is not None:
        locked.beds = beds
    locked.full_clean()
    locked.save(update_fields=["latitude", "longitude", "beds"])
    audit.record("village_position_set", obj=locked, user=by, previous=previous,
                 latitude=None if latitude is None else str(latitude),
                 longitude=None if longitude is None else str(longitude),
                 previous_beds=previous_beds, beds=locked.beds)
    return locked
