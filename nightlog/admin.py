from django.contrib import admin

from residency.privacy.admin import PersonalDataAdmin

from .models import (
    Consultation,
    ConsultationParticipant,
    ContactCard,
    Household,
    LateVisitRequest,
    LinkedHousehold,
    OnSiteOffice,
    Problem,
    ProblemEvent,
    Visit,
    VisitRevision,
)


@admin.register(Household)
class HouseholdAdmin(PersonalDataAdmin):
    list_display = ["head", "village", "group", "masked_phone", "masked_id_card", "members",
                    "is_key"]
    list_filter = ["village__township", "is_key"]
    search_fields = ["head", "address"]
    list_select_related = ["village"]
    raw_id_fields = ["village"]


@admin.register(LinkedHousehold)
class LinkedHouseholdAdmin(admin.ModelAdmin):
    list_display = ["cadre", "household", "since", "until"]
    list_select_related = ["cadre", "household"]
    raw_id_fields = ["cadre", "household", "assigned_by"]


class VisitRevisionInline(admin.TabularInline):
    model = VisitRevision
    extra = 0
    can_delete = False
    readonly_fields = ["number", "saved_at", "saved_by", "data", "changed_fields"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    """Read-only here, and never deleted: visits are written and corrected through the app,
    which keeps every version (deleting one would erase its revision history)."""

    list_display = ["cadre", "household", "visited_at", "stay", "needs_follow_up", "late_entry",
                    "created_at"]
    list_filter = ["late_entry"]
    list_select_related = ["cadre", "household", "stay"]
    raw_id_fields = ["cadre", "household", "stay"]
    inlines = [VisitRevisionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContactCard)
class ContactCardAdmin(admin.ModelAdmin):
    list_display = ["cadre", "household", "given_on"]
    list_select_related = ["cadre", "household"]
    raw_id_fields = ["cadre", "household"]


class ParticipantInline(admin.TabularInline):
    model = ConsultationParticipant
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["village", "held_on", "mode", "convened_by"]
    list_select_related = ["village", "convened_by"]
    raw_id_fields = ["village", "convened_by"]
    inlines = [ParticipantInline]


class ProblemEventInline(admin.TabularInline):
    model = ProblemEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "from_status", "to_status", "note"]


class OnSiteOfficeInline(admin.TabularInline):
    model = OnSiteOffice
    extra = 0
    can_delete = False
    readonly_fields = ["held_on", "place", "attendees", "outcome", "recorded_by", "recorded_at"]


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    """Read-only here: problems move only through their state machine."""

    list_display = ["summary", "village", "status", "owner", "due_date"]
    list_filter = ["status", "category", "urgency"]
    list_select_related = ["village", "owner"]
    raw_id_fields = ["visit", "consultation", "household", "village", "raised_by", "owner"]
    inlines = [ProblemEventInline, OnSiteOfficeInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LateVisitRequest)
class LateVisitRequestAdmin(admin.ModelAdmin):
    """Read-only here: requests are decided on 补记申请 (nightlog:late-visit-list)."""

    list_display = ["cadre", "household", "visited_at", "status", "requested_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["cadre", "household", "decided_by"]
    raw_id_fields = ["cadre", "household", "visit", "decided_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
