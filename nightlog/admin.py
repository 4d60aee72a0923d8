from django.contrib import admin

from .models import Household


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["head", "village", "group", "members", "is_key"]
    list_filter = ["village__township", "is_key"]
    search_fields = ["head", "address"]
    list_select_related = ["village"]
    raw_id_fields = ["village"]
