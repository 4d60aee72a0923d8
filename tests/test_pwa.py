"""The installable shell (tongxiang/pwa.py): manifest, root service worker, the
configuration each page hands to static/js/pwa.js, and no inline script on the pages the
offline app keeps (a Content-Security-Policy is coming)."""
from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

KEPT = ["/", "/residency/my-nights/", "/nightlog/visits/new/", "/nightlog/log/"]


def test_the_manifest_is_served_as_a_web_app_manifest_with_vendored_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "住村·夜班·评议" and data["display"] == "standalone"
    assert data["start_url"] == "/" and data["scope"] == "/"
    for icon in data["icons"]:
        assert icon["src"].startswith("/static/icons/")
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.content.decode()
    config = json.loads(re.match(r"self\.PWA_CONFIG = (\{.*?\});\n", body).group(1))
    assert config["pages"] == KEPT
    assert "/static/js/outbox.js" in config["static"] and config["offline"] == "/offline/"
    assert "addEventListener(\"sync\"" in body  # Background Sync


def test_a_cadres_pages_tell_the_worker_which_pages_to_keep(client, people):
    client.force_login(people["cadre"].user)
    html = client.get(reverse("home")).content.decode()
    config = json.loads(re.search(
        r'<script id="pwa-config" type="application/json">(.*?)</script>', html).group(1))
    assert config["user"] == people["cadre"].user.pk and config["warm"] == KEPT
    assert 'rel="manifest"' in html


def test_other_roles_keep_no_pages_and_the_login_page_has_no_user(client, people):
    html = client.get(reverse("login")).content.decode()
    assert '"user": null' in html
    client.force_login(people["township_admin"])
    html = client.get(reverse("home")).content.decode()
    assert '"warm": []' in html


def test_warming_the_cache_leaves_flash_messages_for_the_page_the_cadre_sees(client, people,
                                                                             households):
    from tests.nightlog.permission_matrix import _late_request

    request = _late_request({**people, **households})
    request.status = "rejected"
    request.save()
    client.force_login(people["township_admin"])
    client.post(reverse("nightlog:late-visit-decide", args=[request.pk]), {"decision": "approve"})
    warm = client.get("/", HTTP_X_PWA_WARM="1").content.decode()
    assert "该补记申请已处理" not in warm
    seen = client.get("/").content.decode()
    assert "该补记申请已处理" in seen


@pytest.mark.parametrize("name", ["home", "nightlog:visit-create", "nightlog:night-log",
                                  "residency:roster-mine"])
def test_the_kept_pages_have_no_inline_script(client, people, name):
    client.force_login(people["cadre"].user)
    html = client.get(reverse(name)).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son(click|submit|change|load)=", html)
