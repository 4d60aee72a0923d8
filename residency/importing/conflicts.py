"""An import must not tell the uploader about records outside his or her scope (a township
admin: the township; the organisation department: the county). A clash with such a record
(an ID card, a username, a phone) says only ``OUTSIDE_CONFLICT``, never whose or where; each
preview and confirm is audited with how many such clashes it met (``record_check``)."""
from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from residency import audit

from .registry import ImportContext
from .rows import CheckResult


def outside_conflict() -> str:
    return _("与本单位以外的记录冲突，请联系县(市)管理员")


def in_scope(ctx: ImportContext, *, township_path: str, county_path: str) -> Q:
    """The records an importer may be told about, given the model's lookups to the township
    and the county."""
    if ctx.township_id is not None:
        return Q(**{township_path: ctx.township_id})
    return Q(**{county_path: ctx.county_id})


def record_check(*, stage: str, ctx: ImportContext, kind: str, filename: str,
                 result: CheckResult, success: bool = True) -> None:
    """Audit one check of an uploaded file: ``stage`` is ``import_preview`` or ``import``
    (a confirm; ``success=False`` when it was refused)."""
    message = outside_conflict()
    audit.record(stage, user=ctx.user, success=success, kind=kind, file_name=filename[:200],
                 rows=result.row_count, errors=len(result.errors),
                 outside_conflicts=sum(1 for e in result.errors if e.message == message))


def phones_outside(*, phones, ctx: ImportContext) -> set[str]:
    """Of ``phones``, those held by a cadre or an official outside the importer's scope."""
    from residency.models import Cadre, Official

    from .lookups import chunks

    cadres_visible = in_scope(ctx, township_path="township_id",
                              county_path="township__county_id")
    if ctx.township_id is not None:
        officials_visible = Q(township_id=ctx.township_id) | Q(village__township_id=ctx.township_id)
    else:
        officials_visible = (Q(county_id=ctx.county_id) | Q(township__county_id=ctx.county_id)
                             | Q(village__township__county_id=ctx.county_id))
    outside: set[str] = set()
    for chunk in chunks(p for p in phones if p):
        outside.update(Cadre.objects.filter(phone__in=chunk).exclude(cadres_visible)
                       .values_list("phone", flat=True))
        outside.update(Official.objects.filter(phone__in=chunk).exclude(officials_visible)
                       .values_list("phone", flat=True))
    return outside
