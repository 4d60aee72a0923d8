from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency import audit
from residency.directory.stations import in_force_on_q
from residency.models import Cadre, Village

from ..linking import Candidate, suggest_links
from ..models import ContactCard, Household, LinkedHousehold, MustVisit
from .common import check_household_in_station


@transaction.atomic
def link_create(*, cadre: Cadre, household: Household, by, since: date | None = None
                ) -> LinkedHousehold:
    """Tie a household to a cadre. The household must be in the cadre's station village;
    a household has at most one open tie per cadre (also a DB constraint)."""
    check_household_in_station(cadre, household)
    if LinkedHousehold.objects.filter(cadre=cadre, household=household,
                                      until__isnull=True).exists():
        raise ValidationError({"household": _("该农户已是此干部的联系户。")})
    link = LinkedHousehold(cadre=cadre, household=household,
                           since=since or timezone.localdate(), assigned_by=by)
    link.full_clean()
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as exc:
        raise ValidationError({"household": _("该农户已是此干部的联系户。")}) from exc
    audit.record("link_create", obj=link, user=by, cadre=cadre.pk, household=household.pk)
    return link


@transaction.atomic
def link_end(*, link: LinkedHousehold, by, until: date | None = None) -> LinkedHousehold:
    if link.until is not None:
        raise ValidationError(_("该联系已结束。"))
    link.until = until or timezone.localdate()
    link.full_clean()
    link.save(update_fields=["until"])
    audit.record("link_end", obj=link, user=by, cadre=link.cadre_id, household=link.household_id)
    return link


def suggestion_for_village(*, village: Village) -> list[tuple[Cadre, Household]]:
    """Fill each cadre stationed in ``village`` up to 5 ties from its unassigned
    must-visit households (hardship and key first); every must-visit household gets one."""
    cadres = {c.pk: c for c in Cadre.objects.filter(
        in_force_on_q(timezone.localdate(), prefix="stations__"), stations__village=village,
        active=True).distinct()}
    if not cadres:
        return []
    loads = dict.fromkeys(cadres, 0)
    for cadre_id in LinkedHousehold.objects.filter(cadre_id__in=cadres, until__isnull=True
                                                   ).values_list("cadre_id", flat=True):
        loads[cadre_id] += 1
    unassigned = {h.pk: h for h in Household.objects.filter(village=village)
                  .exclude(categories="")
                  .exclude(pk__in=LinkedHousehold.objects.filter(
                      until__isnull=True, household__village=village).values("household_id"))}
    candidates = [Candidate(household_id=h.pk, hardship=MustVisit.HARDSHIP in h.categories,
                            key=h.is_key or MustVisit.KEY_PERSON in h.categories,
                            categories=len(h.categories)) for h in unassigned.values()]
    return [(cadres[c], unassigned[h]) for c, h in suggest_links(loads, candidates)]


@transaction.atomic
def links_apply_suggestion(*, village: Village, by) -> list[LinkedHousehold]:
    pairs = suggestion_for_village(village=village)
    today = timezone.localdate()
    links = [LinkedHousehold(cadre=c, household=h, since=today, assigned_by=by) for c, h in pairs]
    for link in links:
        link.full_clean(validate_constraints=False)
    created = LinkedHousehold.objects.bulk_create(links)
    audit.record("link_suggestion_apply", obj=village, user=by, created=len(created))
    return created


@transaction.atomic
def card_record(*, cadre: Cadre, household: Household, given_on: date | None = None,
                note: str = "") -> ContactCard:
    """Record that a household received the cadre's contact card (民情联系卡)."""
    check_household_in_station(cadre, household)
    given_on = given_on or timezone.localdate()
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("发放日期不能晚于今天。")})
    if ContactCard.objects.filter(cadre=cadre, household=household, given_on=given_on).exists():
        raise ValidationError({"household": _("当天已登记过向该户发放联系卡。")})
    card = ContactCard(cadre=cadre, household=household, given_on=given_on, note=note.strip())
    card.full_clean()
    card.save()
    return card


@transaction.atomic
def links_end_for_station(*, cadre_id: int, village_id: int, end: date) -> int:
    """A station ended (调离): the cadre's open ties to that village's households end on the
    same day (a tie begun after that day ends on its first day). Safe to run twice.
    Returns how many ties were ended."""
    links = list(LinkedHousehold.objects.select_for_update().filter(
        cadre_id=cadre_id, household__village_id=village_id, until__isnull=True))
    for link in links:
        link.until = max(end, link.since)
    LinkedHousehold.objects.bulk_update(links, ["until"], batch_size=500)
    if links:
        audit.record("station_end_links_end", object_type="residency.cadre",
                     object_id=str(cadre_id), village=village_id, end=end.isoformat(),
                     links=[link.pk for link in links])
    return len(links)
