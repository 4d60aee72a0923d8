"""The incident register as rows for ``export_violations``: one row per incident, streamed
in chunks with a constant number of queries per chunk."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from residency.access.scoping import Scope

from . import incidents, sources
from .models import Violation

COLUMNS = ["cadre", "township", "village", "night", "signals", "status", "decided_by",
           "decided_at", "appeal", "evidence"]
KIND_LABELS = {incidents.MISSED_CHECKIN: "住夜未签到", incidents.SPOT_CHECK_ABSENT: "暗访不在岗",
               incidents.FAR_CHECKIN: "签到位置距村部过远"}
STATUS_LABELS = {"candidate": "待认定", "confirmed": "已认定", "dismissed": "不予认定",
                 "overturned": "申诉撤销"}


@dataclass(frozen=True)
class RegisterRow:
    cadre: str
    township: str
    village: str
    night: str
    signals: str
    status: str
    decided_by: str
    decided_at: str
    appeal: str
    evidence: str

    def values(self) -> list[str]:
        return [getattr(self, c) for c in COLUMNS]


def person_name(user) -> str:
    """The official's or cadre's name, else the username; '' for nobody."""
    if user is None:
        return ""
    for attr in ("official", "cadre"):
        try:
            related = getattr(user, attr)
        except ObjectDoesNotExist:
            continue
        if related is not None and related.name:
            return related.name
    return user.get_username()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def evidence_summary(violation: Violation, village: str) -> str:
    """A one-line Chinese summary of what the incident stands on."""
    night = violation.occurred_on
    head = f"{village} {night.month}月{night.day}日" if village else f"{night.month}月{night.day}日"
    parts = []
    for signal in violation.signals.all():
        label = KIND_LABELS.get(signal.kind, signal.kind)
        detail = signal.description
        if detail and detail != label and not detail.endswith(label):
            parts.append(f"{label}({_one_line(detail)})")
        else:
            parts.append(label)
    if violation.source == Violation.Source.WEEK_BELOW_MINIMUM:
        parts.append(f"当周住夜不足(旧记录,所在周 {violation.week_start:%Y-%m-%d})")
    if violation.reason:
        parts.append(f"人工登记:{_one_line(violation.reason)}")
    merged = len(violation.merged.all())
    if merged:
        parts.append(f"含并入的原记录 {merged} 条")
    return _one_line(f"{head}:" + ";".join(parts or ["无线索"]))


def register_rows(*, scope: Scope, year: int, chunk_size: int = 1000) -> Iterator[RegisterRow]:
    """One row per incident of ``year`` in scope (rows merged into another incident are
    part of it, not rows of their own), by night then cadre."""
    qs = scope.filter(Violation.objects.filter(occurred_on__year=year, merged_into__isnull=True))
    ids = list(qs.order_by("occurred_on", "cadre__user__username", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start:start + chunk_size]
        found = {v.pk: v for v in Violation.objects.filter(pk__in=chunk)
                 .select_related("cadre__township", "cadre__user", "decided_by__official",
                                 "decided_by__cadre", "appeal")
                 .prefetch_related("signals", "merged")}
        villages = sources.night_villages(pairs={(v.cadre_id, v.occurred_on) for v in found.values()})
        for pk in chunk:
            v = found[pk]
            village = villages.get((v.cadre_id, v.occurred_on), "")
            appeal = v.appeal if _has_appeal(v) else None
            yield RegisterRow(
                cadre=v.cadre.user.username, township=v.cadre.township.name, village=village,
                night=v.occurred_on.isoformat(),
                signals="|".join(k for k in incidents.KINDS if any(s.kind == k for s in v.signals.all())),
                status=v.register_status, decided_by=person_name(v.decided_by),
                decided_at=(timezone.localtime(v.decided_at).isoformat(timespec="seconds")
                            if v.decided_at else ""),
                appeal=appeal.outcome if appeal else "",
                evidence=evidence_summary(v, village))


def _has_appeal(violation: Violation) -> bool:
    try:
        violation.appeal  # noqa: B018 - loaded by select_related
    except ObjectDoesNotExist:
        return False
    return True


__all__ = ["COLUMNS", "RegisterRow", "evidence_summary", "register_rows"]
