"""A ``Scope`` kept on the job (JSON) and the key that says who shares it."""
from __future__ import annotations

import hashlib

from residency.access.roles import Role
from residency.access.scoping import ALL, CADRE, COUNTY, NONE, TOWNSHIP, VILLAGE, Scope

_IDS = {COUNTY: "county_ids", TOWNSHIP: "township_ids", VILLAGE: "village_ids"}


def scope_to_json(scope: Scope) -> dict:
    return {"role": scope.role.value if scope.role else None, "level": scope.level,
            "cadre_id": scope.cadre_id, "village_ids": sorted(scope.village_ids),
            "township_ids": sorted(scope.township_ids), "county_ids": sorted(scope.county_ids)}


def scope_from_json(data: dict) -> Scope:
    return Scope(role=Role(data["role"]) if data.get("role") else None,
                 level=data.get("level", NONE), cadre_id=data.get("cadre_id"),
                 village_ids=frozenset(data.get("village_ids", ())),
                 township_ids=frozenset(data.get("township_ids", ())),
                 county_ids=frozenset(data.get("county_ids", ())))


def scope_key(scope: Scope) -> str:
    """"all", "county:3", "township:5", "village:7,9", "cadre:12" or "none"."""
    if scope.level == ALL:
        return ALL
    if scope.level == CADRE:
        return f"{CADRE}:{scope.cadre_id}"
    field = _IDS.get(scope.level)
    if field is None:
        return NONE
    key = f"{scope.level}:" + ",".join(str(i) for i in sorted(getattr(scope, field)))
    if len(key) > 200:  # an inspector of many villages: the column holds 200 characters
        key = f"{scope.level}#" + hashlib.sha256(key.encode()).hexdigest()
    return key


def township_ids_of(scope: Scope) -> list[int] | None:
    """The townships a staff scope covers (None: every township)."""
    from residency.models import Township

    if scope.level == ALL:
        return None
    if scope.level == COUNTY:
        return list(Township.objects.filter(county_id__in=sorted(scope.county_ids))
                    .order_by("code").values_list("pk", flat=True))
    return sorted(scope.township_ids)
