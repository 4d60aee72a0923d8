"""Finding the township or village a row names, by code or by name (pure).

Rows may name a township by its code (``001``) or its name (``甲镇``); a village by its
code or name within its township. A township admin's rows must stay in his township.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from residency.importing.registry import ImportContext


@dataclass(frozen=True)
class Place:
    id: int
    code: str
    name: str
    parent_id: int  # a township's county, a village's township


@dataclass
class Places:
    """The townships and villages of one county, indexed for lookups by code and name."""

    townships: list[Place] = field(default_factory=list)
    villages: list[Place] = field(default_factory=list)

    def __post_init__(self):
        self.township_by_id = {t.id: t for t in self.townships}
        self.village_by_id = {v.id: v for v in self.villages}
        # (scope, "code"|"name", text) -> places; scope is a township id or None (county).
        self._index: dict[tuple, list[Place]] = defaultdict(list)
        for township in self.townships:
            self._index[(None, "code", township.code)].append(township)
            self._index[(None, "name", township.name)].append(township)
        for village in self.villages:
            for scope in (village.parent_id, "villages"):
                self._index[(scope, "code", village.code)].append(village)
                self._index[(scope, "name", village.name)].append(village)

    def find_townships(self, text: str) -> list[Place]:
        """By code first, else by name."""
        return self._index.get((None, "code", text)) or self._index.get((None, "name", text), [])

    def find_villages(self, text: str, township_id: int | None = None) -> list[Place]:
        scope = township_id if township_id is not None else "villages"
        return self._index.get((scope, "code", text)) or self._index.get((scope, "name", text), [])


def resolve_township(places: Places, text: str, ctx: ImportContext) -> tuple[Place | None, str | None]:
    """The township ``text`` names (blank means the township admin's own)."""
    if not text:
        if ctx.township_id is not None and ctx.township_id in places.township_by_id:
            return places.township_by_id[ctx.township_id], None
        return None, _("必填")
    found = places.find_townships(text)
    if not found:
        return None, _("未找到镇(街道)“%(v)s”") % {"v": text}
    if len(found) > 1:
        return None, _("有多个镇(街道)叫“%(v)s”,请填写代码") % {"v": text}
    township = found[0]
    if ctx.township_id is not None and township.id != ctx.township_id:
        return None, _("只能导入本镇(街道)的数据")
    return township, None


def resolve_village(places: Places, text: str, ctx: ImportContext,
                    township: Place | None = None) -> tuple[Place | None, str | None]:
    """The village ``text`` names, within ``township`` when the row gives one; else
    within the importer's township, else the county (where it must be unambiguous)."""
    if not text:
        return None, _("必填")
    if township is not None:
        found = places.find_villages(text, township.id)
        if not found:
            return None, _("%(t)s没有村(社区)“%(v)s”") % {"t": township.name, "v": text}
    else:
        found = []
        if ctx.township_id is not None:
            found = places.find_villages(text, ctx.township_id)
        if not found:
            found = places.find_villages(text)
        if not found:
            return None, _("未找到村(社区)“%(v)s”") % {"v": text}
    if len(found) > 1:
        return None, _("有多个村(社区)叫“%(v)s”,请填写村代码并注明镇(街道)") % {"v": text}
    village = found[0]
    if ctx.township_id is not None and village.parent_id != ctx.township_id:
        return None, _("只能导入本镇(街道)的数据")
    return village, None
