from django.contrib import admin

from residency.models import AuditLog, Cadre, County, Official, Station, Township, Village
from residency.privacy.admin import PersonalDataAdmin


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "county"]
    list_filter = ["county", "kind"]
    search_fields = ["code", "name"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "township"]
    list_filter = ["township__county", "township"]
    search_fields = ["code", "name"]
    list_select_related = ["township"]


class StationInline(admin.TabularInline):
    model = Station
    extra = 0
    autocomplete_fields = ["village"]


@admin.register(Cadre)
class CadreAdmin(PersonalDataAdmin):
    list_display = ["name", "user", "township", "position", "masked_phone", "active"]
    list_filter = ["township", "active"]
    search_fields = ["name", "user__username", "phone"]
    list_select_related = ["township", "user"]
    inlines = [StationInline]
    raw_id_fields = ["user"]


@admin.register(Official)
class OfficialAdmin(PersonalDataAdmin):
    list_display = ["name", "user", "county", "township", "village", "masked_phone"]
    raw_id_fields = ["user"]
    filter_horizontal = ["inspected_villages"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only, and nothing can be deleted (the database refuses it too)."""

    list_display = ["at", "username", "ip", "action", "object_type", "object_id", "success"]
    list_filter = ["action", "success"]
    search_fields = ["username", "object_id", "object_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The roster models (owned by the roster feature) register themselves here.
from residency.roster import admin as admin_roster  # noqa: E402, F401
