"""The roles of DOMAIN.md as Django groups, and each role's model permissions.

A user's role is the first of ROLE_ORDER whose group the user is in; a superuser is a
system admin. Later apps add the permissions their models need with ``grant``.
"""
from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    SYSTEM_ADMIN = "system_admin"
    PROVINCE_VIEWER = "province_viewer"
    ORG_DEPARTMENT = "org_department"
    TOWNSHIP_ADMIN = "township_admin"
    INSPECTOR = "inspector"
    VILLAGE_CADRE = "village_cadre"
    CADRE = "cadre"


ROLE_LABELS = {
    Role.SYSTEM_ADMIN: _("系统管理员"),
    Role.PROVINCE_VIEWER: _("省(市)查看"),
    Role.ORG_DEPARTMENT: _("组织部"),
    Role.TOWNSHIP_ADMIN: _("镇(街道)管理员"),
    Role.INSPECTOR: _("督查"),
    Role.VILLAGE_CADRE: _("村干部"),
    Role.CADRE: _("住村干部"),
}

# Highest first: a user in two groups acts in the broader one.
ROLE_ORDER = list(Role)

# Model permissions granted to each group (app_label.codename). The Django admin is for
# system admins; these permissions document and gate what each role may do in the app.
_DIRECTORY_VIEW = [
    "residency.view_county", "residency.view_township", "residency.view_village",
    "residency.view_cadre", "residency.view_station",
]
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SYSTEM_ADMIN: [],  # superusers have every permission
    Role.PROVINCE_VIEWER: list(_DIRECTORY_VIEW),
    Role.ORG_DEPARTMENT: [*_DIRECTORY_VIEW, "residency.view_auditlog",
                          "residency.add_township", "residency.change_township",
                          "residency.add_village", "residency.change_village",
                          "residency.add_cadre", "residency.change_cadre",
                          "residency.add_station", "residency.change_station"],
    Role.TOWNSHIP_ADMIN: [*_DIRECTORY_VIEW, "residency.add_village", "residency.change_village",
                          "residency.add_cadre", "residency.change_cadre",
                          "residency.add_station", "residency.change_station"],
    Role.INSPECTOR: ["residency.view_village", "residency.view_cadre"],
    Role.VILLAGE_CADRE: ["residency.view_village"],
    Role.CADRE: ["residency.view_village"],
}


def grant(role: Role, *permissions: str) -> None:
    """Later apps add the permissions their models need (from ``AppConfig.ready()``)."""
    for permission in permissions:
        if permission not in ROLE_PERMISSIONS[role]:
            ROLE_PERMISSIONS[role].append(permission)

# Roles that may read households' full personal data (unmasked ID card and phone).
FULL_PERSONAL_DATA_ROLES = {Role.SYSTEM_ADMIN, Role.ORG_DEPARTMENT, Role.TOWNSHIP_ADMIN}
# Roles that manage the directory and may import spreadsheets.
DIRECTORY_ADMIN_ROLES = {Role.SYSTEM_ADMIN, Role.ORG_DEPARTMENT, Role.TOWNSHIP_ADMIN}
READ_ONLY_ROLES = {Role.PROVINCE_VIEWER}


def role_of(user) -> Role | None:
    """The role a user acts in, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_role_cache", False)
    if cached is not False:
        return cached
    role: Role | None
    if user.is_superuser:
        role = Role.SYSTEM_ADMIN
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((r for r in ROLE_ORDER if r.value in names), None)
    user._role_cache = role
    return role


def ensure_groups() -> None:
    """Create the role groups and (re)grant their permissions. Idempotent."""
    from django.contrib.auth.models import Group, Permission

    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    by_key = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
        if f"{p.content_type.app_label}.{p.codename}" in wanted
    }
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set([by_key[k] for k in ROLE_PERMISSIONS[role] if k in by_key])
