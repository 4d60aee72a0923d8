"""Responses that hold personal data stay out of caches, and signing out clears the phone.

- ``NoStoreMiddleware``: every response to a signed-in user (each page shows some personal
  data: names, households, nights) and every file download (CSV, xlsx, iCalendar, anything
  sent as an attachment, signed in or not) carries ``Cache-Control: no-store``, so neither
  the browser nor a proxy keeps a copy after the session ends.
- ``SignOutView``: the logout answers with ``Clear-Site-Data: "storage"`` (browsers that
  honour it drop the visit drafts kept in localStorage) and lands on the login page with
  ``?signed_out=1``, where static/js/visit_draft.js clears the drafts itself for browsers
  that do not (the header is honoured only over HTTPS).
"""
from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

FILE_TYPES = ("text/csv", "application/vnd.openxmlformats", "text/calendar",
              "application/octet-stream", "application/pdf")


def is_download(response) -> bool:
    content_type = response.get("Content-Type", "")
    return ("attachment" in response.get("Content-Disposition", "")
            or content_type.startswith(FILE_TYPES))


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if "no-store" in response.get("Cache-Control", ""):
            return response
        if (user is not None and user.is_authenticated) or is_download(response):
            add_never_cache_headers(response)
        return response


class SignOutView(auth_views.LogoutView):
    def get_success_url(self):
        return reverse("login") + "?signed_out=1"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"storage"'
        return response
