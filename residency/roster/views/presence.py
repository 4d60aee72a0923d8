"""The township admin corrects a stay's presence; sets where a village office stands."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role
from residency.access.scoping import get_scope, scoped_get_or_404
from residency.directory import selectors
from residency.directory.village_position import village_position_set
from residency.roster import services as svc
from residency.roster.forms_presence import PresenceCorrectionForm, VillagePositionForm
from residency.roster.views.grid import StayDetailView, _stay


class StayPresenceView(StayDetailView):
    """POST only: the correction form lives on the stay's page."""

    def get(self, request, pk):
        stay = _stay(request, pk)
        return HttpResponseRedirect(reverse("residency:stay-detail", args=[stay.pk]))

    def post(self, request, pk):
        stay = _stay(request, pk)
        form = PresenceCorrectionForm(request.POST)
        if form.is_valid():
            try:
                svc.stay_presence_correct(stay=stay, presence=form.cleaned_data["presence"],
                                          reason=form.cleaned_data["presence_reason"],
                                          by=request.user)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已更正在岗情况, 已记入审计日志。"))
                return HttpResponseRedirect(reverse("residency:stay-detail", args=[stay.pk]))
        return self._render(request, stay, presence_form=form, status=400)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class VillagePositionUpdateView(RoleRequiredMixin, View):
    """The township admin records where the village office stands and its beds for 住夜."""

    allowed_roles = (Role.TOWNSHIP_ADMIN,)
    template_name = "residency/village_position_form.html"

    def _village(self, request, pk):
        return scoped_get_or_404(request, selectors.village_list(scope=get_scope(request)), pk=pk)

    def get(self, request, pk):
        village = self._village(request, pk)
        form = VillagePositionForm(initial={"latitude": village.latitude,
                                            "longitude": village.longitude,
                                            "beds": village.beds})
        return render(request, self.template_name, {"village": village, "form": form})

    def post(self, request, pk):
        village = self._village(request, pk)
        form = VillagePositionForm(request.POST)
        if form.is_valid():
            try:
                village_position_set(village=village, latitude=form.cleaned_data["latitude"],
                                     longitude=form.cleaned_data["longitude"], by=request.user,
                                     beds=form.cleaned_data["beds"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已保存村部位置和住夜床位。"))
                return HttpResponseRedirect(reverse("residency:village-detail", args=[village.pk]))
        return render(request, self.template_name, {"village": village, "form": form}, status=400)
