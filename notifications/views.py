"""The inbox, marking read, and each user's channel choices."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from residency.access.permissions import ALL_ROLES, RoleRequiredMixin
from residency.web import PaginatedListView

from . import selectors, services
from .forms import PreferenceForm
from .models import Notification


class NotificationListView(PaginatedListView):
    allowed_roles = ALL_ROLES
    template_name = "notifications/notification_list.html"
    context_object_name = "notifications"

    def get_queryset(self):
        return selectors.inbox(user=self.request.user,
                               unread_only=self.request.GET.get("unread") == "1")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["unread_only"] = self.request.GET.get("unread") == "1"
        return ctx


class NotificationReadView(RoleRequiredMixin, View):
    """POST: mark one notification read, then follow its link (or back to the inbox)."""

    allowed_roles = ALL_ROLES

    def post(self, request, pk: int):
        try:
            n = services.notification_mark_read(user=request.user, notification_id=pk)
        except Notification.DoesNotExist as exc:
            raise Http404 from exc
        target = request.POST.get("next") or n.link
        if request.POST.get("stay") or not target or not url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            target = reverse("notifications:notification-list")
        return redirect(target)


class NotificationReadAllView(RoleRequiredMixin, View):
    allowed_roles = ALL_ROLES

    def post(self, request):
        count = services.notifications_mark_all_read(user=request.user)
        messages.success(request, _("已将 %(n)s 条消息标为已读。") % {"n": count})
        return redirect("notifications:notification-list")


class PreferenceUpdateView(RoleRequiredMixin, FormView):
    allowed_roles = ALL_ROLES
    template_name = "notifications/preference_update.html"
    form_class = PreferenceForm

    def _current(self):
        if not hasattr(self, "_prefs"):
            self._prefs = selectors.preferences_for(user=self.request.user)
        return self._prefs

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["rows"] = self._current()[0]
        return kwargs

    def get_initial(self):
        return PreferenceForm.quiet_initial(self._current()[1])

    def form_valid(self, form):
        try:
            services.preferences_update(
                user=self.request.user, channels=form.channels(),
                quiet_enabled=form.cleaned_data["quiet_enabled"],
                quiet_start=form.cleaned_data["quiet_start"],
                quiet_end=form.cleaned_data["quiet_end"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("提醒设置已保存。"))
        return redirect("notifications:preference-update")


class DigestDetailView(RoleRequiredMixin, TemplateView):
    """One digest (the recipient's own only; another's answers 404) with every item it
    lists, each with its link."""

    allowed_roles = ALL_ROLES
    template_name = "notifications/digest_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        digest = selectors.digest(user=self.request.user, pk=kwargs["pk"])
        if digest is None:
            raise Http404
        ctx["digest"], ctx["items"] = digest
        return ctx
