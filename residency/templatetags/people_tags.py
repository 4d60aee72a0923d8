"""How a person is named on a page: the official's or cadre's name, never the login
(``demo_cadre``) unless the account belongs to no one. One rule for every app
(nightlog's ``person_name`` is this one)."""
from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A user's display name: the official's or cadre's name, then the account's full
    name, else the username. Select ``<user>__official`` and ``<user>__cadre`` with the
    rows to keep a list at one query."""
    if user is None:
        return "—"
    for attr in ("official", "cadre"):
        try:
            related = getattr(user, attr)
        except ObjectDoesNotExist:
            related = None
        if related is not None and related.name:
            return related.name
    return user.get_full_name() or user.get_username()
