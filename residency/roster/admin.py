"""Django admin for the roster models (system admins). The workday override list warns
about years the statutory calendar package does not cover yet."""
from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone

from residency.models import (
    CadrePreference,
    CalendarFeed,
    Leave,
    RosterWeek,
    SpotCheck,
    Stay,
    Swap,
    WorkdayOverride,
)
from residency.roster.services.calendar import calendar_warning


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "county", "is_workday", "reason"]
    list_filter = ["county", "is_workday"]
    date_hierarchy = "date"

    def changelist_view(self, request, extra_context=None):
        year = timezone.localdate().year
        warning = calendar_warning(years={year, year + 1})
        if warning:
            messages.warning(request, warning)
        return super().changelist_view(request, extra_context)


@admin.register(RosterWeek)
class RosterWeekAdmin(admin.ModelAdmin):
    list_display = ["township", "week_start", "status", "published_at", "planned_at"]
    list_filter = ["status", "township__county"]
    list_select_related = ["township"]
    readonly_fields = ["gaps"]


@admin.register(Stay)
class StayAdmin(admin.ModelAdmin):
    list_display = ["night", "village", "cadre", "borrowed", "pinned", "checked_in_at",
                     "checkin_distance_m", "checkin_far", "presence"]
    list_filter = ["borrowed", "pinned", "checkin_far", "checkin_position_status", "presence"]
    list_select_related = ["village", "cadre"]
    raw_id_fields = ["cadre", "village", "week", "presence_by"]
    date_hierarchy = "night"


@admin.register(Leave)
class LeaveAdmin(admin.ModelAdmin):
    list_display = ["cadre", "kind", "start", "end", "status", "backdated"]
    list_filter = ["status", "kind", "backdated"]
    raw_id_fields = ["cadre", "decided_by"]


@admin.register(Swap)
class SwapAdmin(admin.ModelAdmin):
    list_display = ["requested_by", "colleague", "stay", "status"]
    list_filter = ["status"]
    raw_id_fields = ["stay", "colleague_stay", "requested_by", "colleague", "decided_by"]


@admin.register(SpotCheck)
class SpotCheckAdmin(admin.ModelAdmin):
    list_display = ["at", "village", "expected_cadre", "present"]
    list_filter = ["present"]
    raw_id_fields = ["village", "expected_cadre", "stay", "inspector"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["cadre", "created_at"]
    raw_id_fields = ["cadre"]
    exclude = ["token"]


@admin.register(CadrePreference)
class CadrePreferenceAdmin(admin.ModelAdmin):
    list_display = ["cadre", "preferred_weekdays", "avoided_weekdays"]
    raw_id_fields = ["cadre"]
