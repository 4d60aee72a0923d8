"""Importing households (农户) from a spreadsheet: the ``households`` import kind.

Registered with residency's importer from ``NightlogConfig.ready`` (residency never
imports nightlog). Validation is pure (``validate``); ``check`` reads what it needs in a
fixed number of queries; ``services.households_create`` saves inside the import transaction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from residency.importing import ImportContext, ImportKind, register_kind
from residency.importing.conflicts import in_scope, outside_conflict
from residency.importing.places import Places, resolve_township, resolve_village
from residency.importing.rows import (
    CheckResult,
    Column,
    DuplicateTracker,
    Errors,
    Row,
    optional_text_error,
    parse_positive_int,
    parse_yes_no,
    required_text_error,
    split_labels,
)
from residency.privacy.masking import id_card_error, mask_id_card, mask_phone, phone_error

from .models import Household, MustVisit
from .services.households import households_create

COLUMNS = (
    Column("township", "镇(街道)", required=False, example="",
           note=gettext_lazy("可省略;村名在本县重名时填写镇(街道)代码或名称")),
    Column("village", "村", example="东村", note=gettext_lazy("村(社区)的代码或名称")),
    Column("group", "村民小组", required=False, example="一组"),
    Column("head", "户主", example="王某"),
    Column("address", "地址", required=False, example="东村一组8号"),
    Column("phone", "电话", required=False, example="13900000000",
           note=gettext_lazy("11位手机号或区号-座机号,可不填")),
    Column("id_card", "身份证号", required=False, example="",
           note=gettext_lazy("户主18位身份证号,可不填;请以文本格式填写,以免末位被改")),
    Column("members", "家庭人口", required=False, example="3",
           note=gettext_lazy("1至99的整数,不填为1")),
    Column("categories", "必访类别", required=False, example="困难户、种养大户",
           note=gettext_lazy("困难户、种养大户、“三小”组长户、个私企业户、重点人员户,"
                             "可填多个,用“、”或“,”分隔;不属于五必访的不填")),
    Column("is_key", "重点户", required=False, example="否", note=gettext_lazy("是 或 否,不填为否")),
)
MAX_MEMBERS = 99


def _label_key(label: str) -> str:
    return re.sub(r"[“”\"'‘’\s]", "", str(label))


CATEGORY_BY_LABEL = {_label_key(label): code for code, label in MustVisit.choices}


@dataclass(frozen=True)
class HouseholdRecord:
    row: int
    village_id: int
    village_name: str
    group: str
    head: str
    address: str
    phone: str
    id_card: str
    members: int
    categories: tuple[str, ...]
    is_key: bool

    def display(self) -> list[str]:
        labels = dict(MustVisit.choices)
        return [self.village_name, self.group, self.head, self.address, mask_phone(self.phone),
                mask_id_card(self.id_card), str(self.members),
                "、".join(str(labels[c]) for c in self.categories),
                _("是") if self.is_key else _("否")]


def validate(rows: list[Row], ctx: ImportContext, *, places: Places, known_id_cards: set[str],
             known_heads: set[tuple[int, str, str]],
             outside_id_cards: frozenset[str] | set[str] = frozenset()) -> CheckResult:
    """``known_id_cards``: ID cards already in the database; ``outside_id_cards``: those of
    them held by households outside the importer's scope (named only as an outside
    conflict); ``known_heads``: (village, group, head) of existing households recorded
    without an ID card."""
    errors = Errors(COLUMNS)
    records: list[HouseholdRecord] = []
    ids_seen, heads_seen = DuplicateTracker(), DuplicateTracker()
    for row in rows:
        n = row.number
        township, village, township_ok = None, None, True
        if row.text("township"):
            township, message = resolve_township(places, row.text("township"), ctx)
            if message:
                errors.add(n, "township", message)
                township_ok = False
        if township_ok:
            village, message = resolve_village(places, row.text("village"), ctx, township)
            if message:
                errors.add(n, "village", message)
        group, head, address = row.text("group"), row.text("head"), row.text("address")
        for key, text, limit in (("group", group, 30), ("address", address, 120)):
            if message := optional_text_error(text, max_length=limit):
                errors.add(n, key, message)
        if message := required_text_error(head, max_length=30):
            errors.add(n, "head", message)
        phone = row.text("phone")
        if phone and (message := phone_error(phone)):
            errors.add(n, "phone", message)
        id_card = row.text("id_card").upper()
        raw_id = row.values.get("id_card")
        if id_card:
            if isinstance(raw_id, int | float):
                errors.add(n, "id_card", _("身份证号须以文本格式填写(数字格式会丢失末位)"))
            elif message := id_card_error(id_card):
                errors.add(n, "id_card", message)
            elif (first := ids_seen.check(id_card, n)) is not None:
                errors.add(n, "id_card", _("与第%(row)d行重复") % {"row": first})
            elif id_card in outside_id_cards:
                errors.add(n, "id_card", outside_conflict())
            elif id_card in known_id_cards:
                errors.add(n, "id_card", _("该身份证号的农户已存在"))
        elif village is not None and head:
            key = (village.id, group, head)
            if (first := heads_seen.check(key, n)) is not None:
                errors.add(n, "head", _("与第%(row)d行重复(同村同组同名户主)") % {"row": first})
            elif key in known_heads:
                errors.add(n, "head", _("该村该组已有同名户主,请填写身份证号以便区分"))
        members = 1
        if row.text("members"):
            try:
                members = parse_positive_int(row.values.get("members"), maximum=MAX_MEMBERS)
            except ValueError:
                errors.add(n, "members", _("应为1至%(n)d的整数") % {"n": MAX_MEMBERS})
        categories: set[str] = set()
        for label in split_labels(row.values.get("categories")):
            code = CATEGORY_BY_LABEL.get(_label_key(label))
            if code is None:
                errors.add(n, "categories", _("无法识别的必访类别“%(v)s”,应为:%(all)s") % {
                    "v": label, "all": "、".join(str(lb) for _c, lb in MustVisit.choices)})
            else:
                categories.add(code)
        is_key = False
        try:
            is_key = parse_yes_no(row.values.get("is_key"))
        except ValueError:
            errors.add(n, "is_key", _("应为“是”或“否”"))
        if errors.has_row(n) or village is None:
            continue
        records.append(HouseholdRecord(n, village.id, village.name, group, head, address, phone,
                                       id_card, members, tuple(sorted(categories)), is_key))
    return CheckResult(records=records, errors=errors.sorted(), row_count=len(rows),
                       summary={"created": len(records)})


def check(rows: list[Row], ctx: ImportContext) -> CheckResult:
    from residency.importing import lookups

    places = lookups.county_places(county_id=ctx.county_id)
    village_ids: set[int] = set()
    for row in rows:
        township = resolve_township(places, row.text("township"), ctx)[0] if row.text("township") else None
        village = resolve_village(places, row.text("village"), ctx, township)[0]
        if village is not None:
            village_ids.add(village.id)
    ids = [row.text("id_card").upper() for row in rows if row.text("id_card")]
    known_ids: set[str] = set()
    outside_ids: set[str] = set()
    visible = in_scope(ctx, township_path="village__township_id",
                       county_path="village__township__county_id")
    for chunk in lookups.chunks(ids):
        for id_card, mine in (Household.objects.filter(id_card__in=chunk)
                              .annotate(mine=ExpressionWrapper(visible, BooleanField()))
                              .values_list("id_card", "mine")):
            known_ids.add(id_card)
            if not mine:
                outside_ids.add(id_card)
    known_heads = set(Household.objects.filter(village_id__in=sorted(village_ids), id_card="")
                      .values_list("village_id", "group", "head"))
    return validate(rows, ctx, places=places, known_id_cards=known_ids, known_heads=known_heads,
                    outside_id_cards=outside_ids)


def save(result: CheckResult, ctx: ImportContext) -> dict:
    return households_create(records=result.records)


KIND = ImportKind(
    code="households", label=gettext_lazy("农户"), columns=COLUMNS, check=check, save=save,
    preview_headers=(gettext_lazy("村"), gettext_lazy("村民小组"), gettext_lazy("户主"),
                     gettext_lazy("地址"), gettext_lazy("电话"), gettext_lazy("身份证号"),
                     gettext_lazy("家庭人口"), gettext_lazy("必访类别"), gettext_lazy("重点户")),
    order=40,
)


def register() -> None:
    register_kind(KIND)
