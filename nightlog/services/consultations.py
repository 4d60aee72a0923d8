from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency.models import Cadre, Village

from ..models import Consultation, ConsultationParticipant
from .common import station_village_ids
from .problems import problem_raise


@transaction.atomic
def consultation_create(*, cadre: Cadre, village: Village, held_on: date, mode: str,
                        topics: str, by, measures: str = "", place: str = "",
                        participants: list[dict] | None = None,
                        problems: list[dict] | None = None) -> Consultation:
    """Record a group consultation (集中恳谈) with its participants by kind; each problem
    raised becomes a Problem record."""
    if village.pk not in station_village_ids(cadre):
        raise ValidationError({"village": _("只能记录本人驻村村的集中恳谈。")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("恳谈日期不能晚于今天。")})
    rows = [p for p in (participants or []) if p.get("count") or (p.get("names") or "").strip()]
    if not rows:
        raise ValidationError(_("请至少填写一类参加人员的人数或姓名。"))
    consultation = Consultation(village=village, convened_by=cadre, held_on=held_on, mode=mode,
                                place=place.strip(), topics=topics.strip(),
                                measures=measures.strip())
    consultation.full_clean()
    consultation.save()
    objs = []
    for row in rows:
        names = (row.get("names") or "").strip()
        count = int(row.get("count") or 0) or len([n for n in names.replace("，", ",").replace("、", ",").split(",") if n.strip()])
        obj = ConsultationParticipant(consultation=consultation, kind=row["kind"], count=count,
                                      names=names)
        obj.full_clean(exclude=["consultation"])
        objs.append(obj)
    ConsultationParticipant.objects.bulk_create(objs)
    for problem in problems or []:
        problem_raise(raised_by=cadre, by=by, consultation=consultation, village=village,
                      **problem)
    return consultation
