"""Setting where a village office stands (the point check-ins are measured from)."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from residency import audit
from residency.models import Village


@transaction.atomic
def village_position_set(*, village: Village, latitude: Decimal | None,
                         longitude: Decimal | None, by) -> Village:
    """Set (or clear, both None) the village office's latitude and longitude."""
    if (latitude is None) != (longitude is None):
        raise ValidationError(_("纬度和经度要么都填, 要么都不填。"))
    locked = Village.objects.select_for_update().get(pk=village.pk)
    previous = [str(locked.latitude) if locked.latitude is not None else None,
                str(locked.longitude) if locked.longitude is not None else None]
    locked.latitude, locked.longitude = latitude, longitude
    locked.full_clean()
    locked.save(update_fields=["latitude", "longitude"])
    audit.record("village_position_set", obj=locked, user=by, previous=previous,
                 latitude=None if latitude is None else str(latitude),
                 longitude=None if longitude is None else str(longitude))
    return locked
