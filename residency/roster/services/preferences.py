"""A cadre's stated weekday preferences, which the planner honours as soft costs."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from residency import audit
from residency.models import Cadre, CadrePreference


@transaction.atomic
def preference_set(*, cadre: Cadre, preferred_weekdays: list[int],
                   avoided_weekdays: list[int]) -> CadrePreference:
    """Store the weekdays (0 = Monday) a cadre prefers and avoids; a day cannot be both."""
    preferred = sorted({int(d) for d in preferred_weekdays})
    avoided = sorted({int(d) for d in avoided_weekdays})
    if any(d not in range(7) for d in preferred + avoided):
        raise ValidationError(_("星期只能是周一至周日。"))
    if set(preferred) & set(avoided):
        raise ValidationError(_("同一天不能既“希望住夜”又“尽量避开”。"))
    preference, _created = CadrePreference.objects.select_for_update().get_or_create(cadre=cadre)
    preference.preferred_weekdays = preferred
    preference.avoided_weekdays = avoided
    preference.full_clean()
    preference.save(update_fields=["preferred_weekdays", "avoided_weekdays"])
    audit.record("preference_set", obj=cadre, preferred=preferred, avoided=avoided)
    return preference
