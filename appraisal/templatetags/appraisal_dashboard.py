"""The township dashboard's charts card (the township admin's home), filled from
``appraisal.statistics`` (the shell's home view does not know this app)."""
from __future__ import annotations

from django import template

from residency.access.roles import Role
from residency.access.scoping import get_scope

from ..statistics import township_charts

register = template.Library()


@register.inclusion_tag("appraisal/_township_charts.html", takes_context=True)
def appraisal_township_charts(context):
    request = context["request"]
    scope = get_scope(request)
    if scope.role != Role.TOWNSHIP_ADMIN or not scope.township_id:
        return {"charts": None}
    charts = township_charts(township_id=scope.township_id)
    return {"charts": charts, "chart": charts.stats.chart_data()}
