"""Writes of households: the saving step of the household import."""
from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from ..models import Household


@transaction.atomic
def households_create(*, records: Sequence) -> dict:
    """Create the households of a whole valid import file (``HouseholdRecord`` rows from
    ``nightlog.importing``) in one transaction."""
    objs = [Household(village_id=r.village_id, group=r.group, head=r.head, address=r.address,
                      phone=r.phone, id_card=r.id_card, members=r.members,
                      categories=list(r.categories), is_key=r.is_key) for r in records]
    for obj in objs:
        obj.full_clean(exclude=["village"], validate_unique=False, validate_constraints=False)
    Household.objects.bulk_create(objs, batch_size=1000)
    return {"created": len(objs)}
