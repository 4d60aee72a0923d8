"""Template helpers for the roster pages and the roster card on each role's home page
(the card's data comes from ``residency.roster.home.home_card``; the tag only renders)."""
from __future__ import annotations

from django import template

from residency.access.scoping import get_scope
from residency.roster.home import home_card

register = template.Library()


@register.filter
def zip_workdays(days, flags):
    return list(zip(days, flags, strict=True))


@register.filter
def pct(value):
    return "—" if value is None else f"{value * 100:.1f}%"


@register.simple_tag(takes_context=True)
def roster_home(context):
    """The data of the roster card on the request user's home page (one selector)."""
    return home_card(scope=get_scope(context["request"]))
