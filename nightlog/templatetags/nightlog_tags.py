"""Home-page cards of the night log, filled from selectors (the shell's home view does
not know this app), and small display helpers."""
from __future__ import annotations

from django import template
from django.utils import timezone

from residency.access.roles import Role
from residency.access.scoping import get_scope
from residency.templatetags.people_tags import person_name

from .. import selectors

register = template.Library()


# The one rule for naming a person on a page (residency/templatetags/people_tags.py).
register.filter("person_name", person_name)


@register.inclusion_tag("nightlog/_cards_cadre.html", takes_context=True)
def nightlog_cadre_cards(context):
    request = context["request"]
    scope = get_scope(request)
    if scope.role != Role.CADRE or not scope.cadre_id:
        return {"data": None}
    cadre = getattr(request.user, "cadre", None)
    return {"data": selectors.cadre_home(cadre=cadre, user=request.user), "request": request}


@register.inclusion_tag("nightlog/_cards_village_cadre.html", takes_context=True)
def nightlog_village_cadre_cards(context):
    request = context["request"]
    return {"data": selectors.village_cadre_home(user=request.user)}


@register.inclusion_tag("nightlog/_cards_township_admin.html", takes_context=True)
def nightlog_township_cards(context):
    scope = get_scope(context["request"])
    if not scope.township_id:
        return {"data": None}
    return {"data": selectors.township_dashboard(township_id=scope.township_id)}


@register.inclusion_tag("nightlog/_cards_org_department.html", takes_context=True)
def nightlog_org_cards(context):
    scope = get_scope(context["request"])
    if not scope.county_id:
        return {"data": None}
    return {"data": selectors.org_dashboard(county_id=scope.county_id),
            "today": timezone.localdate()}


@register.filter
def status_label(code: str) -> str:
    from ..models import Problem

    return str(dict(Problem.Status.choices).get(code, code))
