"""The installable, offline-first shell (docs/NIGHTLOG.md, "Offline"): the web app
manifest, the service worker served from the site root (its scope is the whole site), the
offline page, and the configuration every page hands to static/js/pwa.js.

The service worker's code is the vendored file static/js/sw.js; this view only puts a
small configuration in front of it (the versioned static URLs to keep, the pages to keep
for a cadre), so the cache's version changes whenever a static file does."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from residency.access.roles import Role, role_of

# The shell: every static file a cadre's pages load (kept by the service worker).
SHELL_STATIC = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "css/app.css",
    "js/pwa.js",
    "js/outbox.js",
    "js/visit_form.js",
    "js/household_picker.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
]


def _read_static(name: str) -> bytes:
    path = finders.find(name)
    if path:
        return Path(path).read_bytes()
    root = Path(settings.STATIC_ROOT) / name  # collected only (production)
    return root.read_bytes() if root.exists() else b""


@lru_cache(maxsize=1)
def shell_version() -> str:
    digest = hashlib.sha256()
    for name in [*SHELL_STATIC, "js/sw.js"]:
        digest.update(name.encode())
        digest.update(_read_static(name))
    return digest.hexdigest()[:12]


def cadre_pages() -> list[str]:
    """The pages a cadre needs on a weak signal: home, 我的住夜, 记一户 (with the linked
    households in it) and the night log (its default range covers the last week)."""
    return [reverse("home"), reverse("residency:roster-mine"), reverse("nightlog:visit-create"),
            reverse("nightlog:night-log")]


@never_cache
def service_worker(request):
    config = {
        "version": shell_version(),
        "static": [static(name) for name in SHELL_STATIC],
        "outbox": static("js/outbox.js"),
        "pages": cadre_pages(),
        "offline": reverse("pwa-offline"),
        "visitForm": reverse("nightlog:visit-create"),
    }
    body = (f"self.PWA_CONFIG = {json.dumps(config)};\n".encode()
            + _read_static("js/sw.js"))
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


def manifest(request):
    data = {
        "name": _("住村·夜班·评议"),
        "short_name": _("民情夜记"),
        "description": _("住村干部的住夜、民情夜记和评议；没有网络时走访先保存在手机上。"),
        "lang": "zh-CN",
        "start_url": reverse("home"),
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png",
             "purpose": "any maskable"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any maskable"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


class OfflineView(TemplateView):
    """What the service worker shows for a page it does not keep, without a network."""

    template_name = "offline.html"


def pwa(request) -> dict:
    """Context processor: ``pwa`` for base.html's json_script (read by static/js/pwa.js)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"pwa": {"user": None, "warm": []}}
    is_cadre = role_of(user) == Role.CADRE
    return {"pwa": {
        "user": user.pk,
        "warm": cadre_pages() if is_cadre else [],
        "visitForm": reverse("nightlog:visit-create") if is_cadre else "",
        "text": {
            "badge": _("待提交 {n}"),
            "logoutWarning": _("手机上还有 {n} 条走访没有提交到服务器，另有 {drafts} 份未保存的草稿。"
                               "退出登录会把它们从这台手机上删除，无法恢复。确定退出吗？"),
        },
    }}
