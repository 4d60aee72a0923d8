"""Importing cadres with their station: columns, validation (pure) and wiring.

A row creates the login, the Cadre and an open Station. A username that is already a
cadre's updates the name, phone and position; a different village is a transfer: the old
station closes the day before the new start.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from residency.importing.actions import ASSIGN, CREATE, TRANSFER, UPDATE
from residency.importing.conflicts import outside_conflict, phones_outside
from residency.importing.lookups import ExistingUser
from residency.importing.places import Places, resolve_township, resolve_village
from residency.importing.registry import ImportContext, ImportKind, register_kind
from residency.importing.rows import (
    CheckResult,
    Column,
    DuplicateTracker,
    Errors,
    Row,
    optional_text_error,
    parse_date,
    required_text_error,
)
from residency.privacy.masking import MOBILE_RE

COLUMNS = (
    Column("username", "用户名", example="zhangwei01",
           note=gettext_lazy("登录用的用户名:字母、数字或 @ . + - _,全系统唯一")),
    Column("name", "姓名", example="张伟"),
    Column("phone", "手机号", example="13800000000",
           note=gettext_lazy("11位手机号,全系统唯一,也可用来登录")),
    Column("position", "职务", required=False, example="副镇长"),
    Column("township", "镇(街道)", example="001",
           note=gettext_lazy("镇(街道)代码或名称;镇(街道)管理员可不填(默认本镇)")),
    Column("village", "驻村", example="东村", note=gettext_lazy("所驻村(社区)的代码或名称")),
    Column("start", "驻村开始日期", required=False, example="2026-01-05",
           note=gettext_lazy("如 2026-01-05;不填为导入当天")),
)
USERNAME_RE = re.compile(r"^[\w.@+-]{1,150}$")


@dataclass(frozen=True)
class CadreRecord:
    row: int
    # create; update (same village); transfer (new village); assign (had no open station)
    action: str
    username: str
    name: str
    phone: str
    position: str
    township_id: int
    township_name: str
    village_id: int
    village_name: str
    start: date
    existing: ExistingUser | None = None

    def display(self) -> list[str]:
        labels = {CREATE: _("新建"), UPDATE: _("更新信息"), TRANSFER: _("调动"),
                  ASSIGN: _("安排驻村")}
        return [labels[self.action], self.username, self.name, self.phone, self.position,
                self.township_name, self.village_name, self.start.isoformat()]


def validate(rows: list[Row], ctx: ImportContext, *, places: Places,
             users: dict[str, ExistingUser], phones: dict[str, int | None],
             outside_phones: frozenset[str] | set[str] = frozenset()) -> CheckResult:
    """``users``: accounts already holding the file's usernames; ``phones``: phone ->
    the cadre holding it (None for an official); ``outside_phones``: those held outside the
    importer's scope. A username or phone held outside the scope (another township's or
    county's cadre, an official's account) is only named as an outside conflict."""
    errors = Errors(COLUMNS)
    records: list[CadreRecord] = []
    usernames_seen, phones_seen = DuplicateTracker(), DuplicateTracker()
    today = ctx.today or date.today()  # noqa: DTZ011  (the context always carries today)
    for row in rows:
        n = row.number
        username, name, phone = row.text("username"), row.text("name"), row.text("phone")
        position = row.text("position")
        existing: ExistingUser | None = None
        if not username:
            errors.add(n, "username", _("必填"))
        elif not USERNAME_RE.match(username):
            errors.add(n, "username", _("用户名只能包含字母、数字和 @ . + - _"))
        elif (first := usernames_seen.check(username, n)) is not None:
            errors.add(n, "username", _("与第%(row)d行重复") % {"row": first})
        else:
            existing = users.get(username)
            if existing is not None and (
                    existing.cadre_id is None or existing.county_id != ctx.county_id
                    or (ctx.township_id is not None and existing.township_id != ctx.township_id)):
                errors.add(n, "username", outside_conflict())
                existing = None
        if message := required_text_error(name, max_length=30):
            errors.add(n, "name", message)
        if not phone:
            errors.add(n, "phone", _("必填"))
        elif not MOBILE_RE.match(phone):
            errors.add(n, "phone", _("手机号应为11位数字,以1开头"))
        elif (first := phones_seen.check(phone, n)) is not None:
            errors.add(n, "phone", _("与第%(row)d行重复") % {"row": first})
        elif phone in phones and (existing is None or phones[phone] != existing.cadre_id):
            errors.add(n, "phone", outside_conflict() if phone in outside_phones
                       else _("手机号已被其他账号使用"))
        if message := optional_text_error(position, max_length=50):
            errors.add(n, "position", message)
        township, message = resolve_township(places, row.text("township"), ctx)
        if message:
            errors.add(n, "township", message)
        village = None
        if township is not None:
            village, message = resolve_village(places, row.text("village"), ctx, township)
            if message:
                errors.add(n, "village", message)
        start = today
        if row.text("start"):
            try:
                start = parse_date(row.values.get("start"))
            except ValueError:
                errors.add(n, "start", _("日期格式错误,应如 2026-01-05"))
                start = None
        action = CREATE
        if existing is not None and village is not None and start is not None:
            if existing.station_village_id == village.id:
                action = UPDATE
            elif existing.station_village_id is not None:
                action = TRANSFER
                if existing.station_start is not None and start <= existing.station_start:
                    errors.add(n, "start", _("调动的驻村开始日期须晚于原驻村开始日期 %(d)s")
                               % {"d": existing.station_start.isoformat()})
            else:
                action = ASSIGN
        if errors.has_row(n) or township is None or village is None or start is None:
            continue
        records.append(CadreRecord(n, action, username, name, phone, position, township.id,
                                   township.name, village.id, village.name, start, existing))
    summary = {CREATE: 0, UPDATE: 0, TRANSFER: 0, ASSIGN: 0}
    for record in records:
        summary[record.action] += 1
    return CheckResult(records=records, errors=errors.sorted(), row_count=len(rows),
                       summary=summary)


def check(rows: list[Row], ctx: ImportContext) -> CheckResult:
    from residency.importing import lookups

    places = lookups.county_places(county_id=ctx.county_id)
    users = lookups.existing_users(usernames=[r.text("username") for r in rows if r.text("username")])
    phones = lookups.phones_in_use(phones=[r.text("phone") for r in rows])
    outside = phones_outside(phones=list(phones), ctx=ctx)
    return validate(rows, ctx, places=places, users=users, phones=phones, outside_phones=outside)


def save(result: CheckResult, ctx: ImportContext) -> dict:
    from residency.importing.services import cadres_import

    return cadres_import(records=result.records)


KIND = ImportKind(
    code="cadres", label=gettext_lazy("住村干部"), columns=COLUMNS, check=check, save=save,
    preview_headers=(gettext_lazy("操作"), gettext_lazy("用户名"), gettext_lazy("姓名"),
                     gettext_lazy("手机号"), gettext_lazy("职务"), gettext_lazy("镇(街道)"),
                     gettext_lazy("驻村"), gettext_lazy("驻村开始日期")),
    order=30,
)
register_kind(KIND)
