"""Importing townships (镇/街道): columns, validation (pure) and the kind's wiring."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from residency.importing.registry import ImportContext, ImportKind, register_kind
from residency.importing.rows import (
    CheckResult,
    Column,
    DuplicateTracker,
    Errors,
    Row,
    code_error,
    required_text_error,
)

COLUMNS = (
    Column("county", "县(市、区)代码", required=False, example="330483",
           note=gettext_lazy("系统管理员必填;组织部可不填(默认本县),填写时须为本县代码")),
    Column("code", "代码", example="001", note=gettext_lazy("本县内唯一,1至12位字母或数字")),
    Column("name", "名称", example="梧桐街道", note=gettext_lazy("本县内不重名")),
    Column("kind", "类型", example="街道", note=gettext_lazy("镇 或 街道")),
)
KIND_LABELS = {"镇": "town", "街道": "subdistrict"}


@dataclass(frozen=True)
class TownshipRecord:
    row: int
    county_id: int
    county_name: str
    code: str
    name: str
    kind: str

    def display(self) -> list[str]:
        return [self.county_name, self.code, self.name,
                next(k for k, v in KIND_LABELS.items() if v == self.kind)]


def validate(rows: list[Row], ctx: ImportContext, *, counties: dict[str, tuple[int, str]],
             existing_codes: set[tuple[int, str]], existing_names: set[tuple[int, str]]) -> CheckResult:
    """``counties``: code -> (id, name) of the counties the importer may write to."""
    errors = Errors(COLUMNS)
    records: list[TownshipRecord] = []
    names_by_id = {pk: name for pk, name in counties.values()}
    codes_seen, names_seen = DuplicateTracker(), DuplicateTracker()
    for row in rows:
        n = row.number
        county_text = row.text("county")
        county_id = None
        if county_text:
            if county_text not in counties:
                if ctx.role == "org_department":
                    errors.add(n, "county", _("只能导入本县(市、区)的数据"))
                else:
                    errors.add(n, "county", _("未找到县(市、区)代码“%(v)s”") % {"v": county_text})
            else:
                county_id = counties[county_text][0]
        elif ctx.county_id is not None:
            county_id = ctx.county_id
        else:
            errors.add(n, "county", _("必填"))
        code, name, kind_text = row.text("code"), row.text("name"), row.text("kind")
        if message := code_error(code):
            errors.add(n, "code", message)
        elif county_id is not None:
            if (first := codes_seen.check((county_id, code), n)) is not None:
                errors.add(n, "code", _("与第%(row)d行重复") % {"row": first})
            elif (county_id, code) in existing_codes:
                errors.add(n, "code", _("代码“%(v)s”已存在") % {"v": code})
        if message := required_text_error(name, max_length=50):
            errors.add(n, "name", message)
        elif county_id is not None:
            if (first := names_seen.check((county_id, name), n)) is not None:
                errors.add(n, "name", _("与第%(row)d行重复") % {"row": first})
            elif (county_id, name) in existing_names:
                errors.add(n, "name", _("“%(v)s”已存在") % {"v": name})
        kind = KIND_LABELS.get(kind_text)
        if kind is None:
            errors.add(n, "kind", _("应为“镇”或“街道”") if kind_text else _("必填"))
        if county_id is not None and kind is not None and not errors.has_row(n):
            records.append(TownshipRecord(n, county_id, names_by_id.get(county_id, ""), code, name, kind))
    return CheckResult(records=records, errors=errors.sorted(), row_count=len(rows),
                       summary={"created": len(records)})


def check(rows: list[Row], ctx: ImportContext) -> CheckResult:
    from residency.importing import lookups

    counties = lookups.counties_by_code(county_id=ctx.county_id if ctx.role != "system_admin" else None)
    ids = {pk for pk, _name in counties.values()}
    codes, names = lookups.township_keys(county_ids=ids)
    return validate(rows, ctx, counties=counties, existing_codes=codes, existing_names=names)


def save(result: CheckResult, ctx: ImportContext) -> dict:
    from residency.importing.services import townships_create

    return townships_create(records=result.records)


KIND = ImportKind(
    code="townships", label=gettext_lazy("镇(街道)"), columns=COLUMNS, check=check, save=save,
    preview_headers=(gettext_lazy("县(市、区)"), gettext_lazy("代码"), gettext_lazy("名称"),
                     gettext_lazy("类型")),
    allowed_roles=frozenset({"system_admin", "org_department"}), order=10, needs_county=False,
)
register_kind(KIND)
