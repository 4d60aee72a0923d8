"""Read-only admin pages for system admins: every change goes through the services (and the
audit log) in the app's own pages. Ballots and codes are not shown at all."""
from django.contrib import admin

from .models import (
    Appeal,
    Appraisal,
    AppraisalRules,
    GoldenAward,
    PenaltyAction,
    ReviewMeeting,
    Violation,
    ViolationSignal,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Violation)
class ViolationAdmin(ReadOnlyAdmin):
    list_display = ["cadre", "occurred_on", "source", "status", "decided_by", "decided_at",
                    "merged_into"]
    list_filter = ["status", "source"]
    date_hierarchy = "occurred_on"
    list_select_related = ["cadre", "decided_by"]


@admin.register(ViolationSignal)
class ViolationSignalAdmin(ReadOnlyAdmin):
    list_display = ["violation", "kind", "source_id", "description", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["violation__cadre"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["violation", "outcome", "filed_at", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["violation__cadre", "decided_by"]


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(ReadOnlyAdmin):
    list_display = ["village", "year", "held_on", "status"]
    list_filter = ["year", "status"]
    list_select_related = ["village"]


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyAdmin):
    list_display = ["cadre", "year", "final_grade", "set_by", "set_at"]
    list_filter = ["year", "final_grade"]
    list_select_related = ["cadre", "set_by"]


admin.site.register([AppraisalRules, GoldenAward, PenaltyAction], ReadOnlyAdmin)
