"""Importing villages (行政村/社区): columns, validation (pure) and the kind's wiring."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from residency.importing.places import Places, resolve_township
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
from residency.models.places import MAX_BEDS

COLUMNS = (
    Column("township", "镇(街道)", example="001",
           note=gettext_lazy("镇(街道)代码或名称;镇(街道)管理员可不填(默认本镇)")),
    Column("code", "代码", example="001", note=gettext_lazy("本镇(街道)内唯一,1至12位字母或数字")),
    Column("name", "名称", example="东村", note=gettext_lazy("本镇(街道)内不重名")),
    Column("kind", "类型", example="行政村", note=gettext_lazy("行政村 或 社区")),
    Column("latitude", "村部纬度", required=False, example="30.631234",
           note=gettext_lazy("可不填;十进制度(北纬为正),最多6位小数,与经度同填")),
    Column("longitude", "村部经度", required=False, example="120.565432",
           note=gettext_lazy("可不填;十进制度(东经为正),最多6位小数,与纬度同填")),
    Column("beds", "住夜床位", required=False, example="2",
           note=gettext_lazy("可不填(默认2);村部可供住夜的床位数,1至20的整数")),
)
KIND_LABELS = {"行政村": "village", "社区": "community"}
DEFAULT_BEDS = 2


@dataclass(frozen=True)
class VillageRecord:
    row: int
    township_id: int
    township_name: str
    code: str
    name: str
    kind: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    beds: int = DEFAULT_BEDS

    def display(self) -> list[str]:
        return [self.township_name, self.code, self.name,
                next(k for k, v in KIND_LABELS.items() if v == self.kind),
                "" if self.latitude is None else f"{self.latitude}, {self.longitude}",
                str(self.beds)]


def degrees(text: str, limit: int) -> tuple[Decimal | None, str]:
    """A coordinate cell: (value, "") or (None, Chinese error); empty is (None, "")."""
    if not text:
        return None, ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, _("应为数字,如 30.631234")
    if not value.is_finite() or not -limit <= value <= limit:
        return None, _("应在 -%(l)d 到 %(l)d 之间") % {"l": limit}
    if value.as_tuple().exponent < -6:
        return None, _("最多6位小数")
    return value, ""


def beds_cell(text: str) -> tuple[int, str]:
    """The 住夜床位 cell: (beds, "") or (DEFAULT_BEDS, Chinese error); empty is the default."""
    if not text:
        return DEFAULT_BEDS, ""
    if not text.isdigit() or not 1 <= int(text) <= MAX_BEDS:
        return DEFAULT_BEDS, _("应为1至%(max)d的整数") % {"max": MAX_BEDS}
    return int(text), ""


def position_errors(row: Row) -> tuple[Decimal | None, Decimal | None, list[tuple[str, str]]]:
    lat, lat_error = degrees(row.text("latitude"), 90)
    lon, lon_error = degrees(row.text("longitude"), 180)
    errors = [(k, m) for k, m in (("latitude", lat_error), ("longitude", lon_error)) if m]
    if not errors and (lat is None) != (lon is None):
        errors.append(("longitude" if lon is None else "latitude", _("纬度和经度要么都填,要么都不填")))
    return lat, lon, errors


def validate(rows: list[Row], ctx: ImportContext, *, places: Places,
             existing_codes: set[tuple[int, str]], existing_names: set[tuple[int, str]]) -> CheckResult:
    errors = Errors(COLUMNS)
    records: list[VillageRecord] = []
    codes_seen, names_seen = DuplicateTracker(), DuplicateTracker()
    for row in rows:
        n = row.number
        township, message = resolve_township(places, row.text("township"), ctx)
        if message:
            errors.add(n, "township", message)
        code, name, kind_text = row.text("code"), row.text("name"), row.text("kind")
        if message := code_error(code):
            errors.add(n, "code", message)
        elif township is not None:
            if (first := codes_seen.check((township.id, code), n)) is not None:
                errors.add(n, "code", _("与第%(row)d行重复") % {"row": first})
            elif (township.id, code) in existing_codes:
                errors.add(n, "code", _("代码“%(v)s”已存在") % {"v": code})
        if message := required_text_error(name, max_length=50):
            errors.add(n, "name", message)
        elif township is not None:
            if (first := names_seen.check((township.id, name), n)) is not None:
                errors.add(n, "name", _("与第%(row)d行重复") % {"row": first})
            elif (township.id, name) in existing_names:
                errors.add(n, "name", _("“%(v)s”已存在") % {"v": name})
        kind = KIND_LABELS.get(kind_text)
        if kind is None:
            errors.add(n, "kind", _("应为“行政村”或“社区”") if kind_text else _("必填"))
        lat, lon, position = position_errors(row)
        for key, message in position:
            errors.add(n, key, message)
        beds, message = beds_cell(row.text("beds"))
        if message:
            errors.add(n, "beds", message)
        if township is not None and kind is not None and not errors.has_row(n):
            records.append(VillageRecord(n, township.id, township.name, code, name, kind, lat, lon,
                                         beds))
    return CheckResult(records=records, errors=errors.sorted(), row_count=len(rows),
                       summary={"created": len(records)})


def check(rows: list[Row], ctx: ImportContext) -> CheckResult:
    from residency.importing import lookups

    places = lookups.county_places(county_id=ctx.county_id)
    codes = {(v.parent_id, v.code) for v in places.villages}
    names = {(v.parent_id, v.name) for v in places.villages}
    return validate(rows, ctx, places=places, existing_codes=codes, existing_names=names)


def save(result: CheckResult, ctx: ImportContext) -> dict:
    from residency.importing.services import villages_create

    return villages_create(records=result.records)


KIND = ImportKind(
    code="villages", label=gettext_lazy("村(社区)"), columns=COLUMNS, check=check, save=save,
    preview_headers=(gettext_lazy("镇(街道)"), gettext_lazy("代码"), gettext_lazy("名称"),
                     gettext_lazy("类型"), gettext_lazy("村部位置"), gettext_lazy("住夜床位")),
    order=20,
)
register_kind(KIND)
