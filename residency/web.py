"""Small shared pieces of the web layer that every app uses: the paginated list view base
and turning a service's refusal (``ValidationError``) into form errors or a message."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.views.generic import ListView

from residency.access.permissions import RoleRequiredMixin
from residency.bounded_input import text_param


class PaginatedListView(RoleRequiredMixin, ListView):
    paginate_by = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx["querystring"] = params.urlencode()
        ctx["q"] = text_param(self.request, "q")
        return ctx


def errors_to_form(form, exc: ValidationError) -> None:
    """A service's ValidationError goes back on the form: per field where the service named
    a field the form has, else as a non-field error."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def error_text(exc: ValidationError) -> str:
    """A service's ValidationError as one line for ``messages.error`` (pages without a form)."""
    return " ".join(exc.messages)


# The role home page (tongxiang/home.py) shows each app's cards for the reader's role: a
# template name pattern per app, "{role}" replaced by the role's code. Residency's first;
# later apps register theirs in ``AppConfig.ready()``, in INSTALLED_APPS order.
HOME_CARDS: list[str] = ["residency/_home_{role}.html"]


def register_home_cards(pattern: str) -> None:
    if pattern not in HOME_CARDS:
        HOME_CARDS.append(pattern)


def home_cards(role: str) -> list[str]:
    return [pattern.format(role=role) for pattern in HOME_CARDS]
