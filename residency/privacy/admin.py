"""Personal data in the Django admin: lists show ID cards and phones masked (the same masking
as the app, residency/privacy/masking.py); opening a record, which shows it whole, is audited
(``admin_view``), as the app audits its full household view."""
from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from residency import audit
from residency.privacy.masking import mask_id_card, mask_phone


class PersonalDataAdmin(admin.ModelAdmin):
    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    @admin.display(description=_("身份证号"))
    def masked_id_card(self, obj) -> str:
        return mask_id_card(obj.id_card)

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        if obj is not None and not add and request.method == "GET":
            audit.record("admin_view", obj=obj, request=request)
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)
