"""Small shared pieces of the web layer that every app uses: the paginated list view base."""
from __future__ import annotations

from django.views.generic import ListView

from residency.access.permissions import RoleRequiredMixin


class PaginatedListView(RoleRequiredMixin, ListView):
    paginate_by = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx["querystring"] = params.urlencode()
        ctx["q"] = self.request.GET.get("q", "")
        return ctx
