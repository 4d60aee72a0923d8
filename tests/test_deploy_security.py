"""Production hardening (issue 11, finding 9): `check --deploy` is clean on the production
settings with nothing silenced; a Content-Security-Policy without inline script (and no
inline script or event handler left in any template); `Cache-Control: no-store` on pages
with personal data and on every export; visit drafts cleared from the phone at logout."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {"DJANGO_SECRET_KEY": "k7#Qv9!pX2@mL5$wR8^tY1&uI4*oP6(aS3)dF0_gH-jK+zBn3Vc8Xe2Lq",
                  "DJANGO_ALLOWED_HOSTS": "zhucun.example.gov.cn",
                  "DATABASE_URL": "postgres://app@127.0.0.1:5432/tongxiang"}


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_on_production_settings_with_nothing_silenced():
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     "--settings=tongxiang.settings.production", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_a_proxy_that_terminates_tls_can_switch_the_redirect_and_hsts_off():
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="tongxiang.settings.production",
                    DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_HSTS_SECONDS="0")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["False", "0"], result.stderr


# --- Content-Security-Policy -------------------------------------------------------------

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def _templates():
    return sorted((ROOT / "templates").rglob("*.html"))


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for attrs, body in SCRIPT.findall(text):
            if body.strip() and "json_script" not in body:
                offenders.append(f"{path.relative_to(ROOT)}: inline <script>")
            if "src=" not in attrs and not body.strip():
                offenders.append(f"{path.relative_to(ROOT)}: <script> without src")
        if HANDLER.search(text) or "javascript:" in text:
            offenders.append(f"{path.relative_to(ROOT)}: inline event handler")
    assert offenders == []


@pytest.mark.django_db
def test_every_page_carries_a_csp_without_inline_script(client, people):
    client.force_login(people["org_department"])
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in policy
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


# --- Cache-Control: no-store -------------------------------------------------------------

def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "url"), [
    ("cadre", lambda c: reverse("home")),
    ("cadre", lambda c: reverse("nightlog:night-log")),
    ("org_department", lambda c: reverse("nightlog:household-list")),
    ("org_department", lambda c: reverse("nightlog:household-detail", args=[c["h11"].pk])),
    ("org_department", lambda c: reverse("residency:cadre-list")),
    ("org_department", lambda c: reverse("appraisal:report-csv")),
    ("org_department", lambda c: reverse("residency:export-list")),  # the xlsx is a background job
    ("township_admin", lambda c: reverse("residency:roster-xlsx", args=[c["t1"].pk, "2026-W10"])),
    ("township_admin", lambda c: reverse("residency:import-template", args=["villages"])),
    ("township_admin", lambda c: reverse("residency:import-template", args=["villages"]) + "?format=csv"),
])
def test_personal_data_pages_and_every_export_are_not_stored(client, people, directory, households,
                                                              role, url):
    user = people[role]
    client.force_login(getattr(user, "user", user))
    response = client.get(url({**people, **directory, **households}))
    assert response.status_code == 200
    assert _no_store(response), response.get("Cache-Control")


@pytest.mark.django_db
def test_the_private_calendar_feed_is_not_stored(client, people):
    from residency.models import CalendarFeed

    feed = CalendarFeed.objects.create(cadre=people["cadre"], token="t" * 43)
    response = client.get(reverse("residency:roster-ics", args=[feed.token]))
    assert response.status_code == 200 and _no_store(response)


# --- Drafts cleared at logout ------------------------------------------------------------

@pytest.mark.django_db
def test_logout_tells_the_browser_to_clear_its_storage_and_the_login_page_clears_drafts(client, people):
    client.force_login(people["cadre"].user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'
    page = client.get(response.url)
    body = page.content.decode()
    assert "data-clear-all-drafts" in body and "js/sign_out_cleanup.js" in body


def test_the_sign_out_script_clears_every_draft_and_the_outbox_when_told_to():
    script = (ROOT / "static/js/sign_out_cleanup.js").read_text(encoding="utf-8")
    assert "data-clear-all-drafts" in script and "nightlog-draft:" in script
    assert "NightOutbox.clear" in script


@pytest.mark.parametrize(("template", "script"), [
    ("templates/appraisal/report_stats.html", "js/report_stats.js"),
    ("templates/residency/dashboard_county.html", "js/dashboard_county.js"),
    ("templates/base.html", "js/page_actions.js"),
])
def test_the_chart_and_page_scripts_are_static_files_loaded_by_src(template, script):
    assert (ROOT / "static" / script).exists()
    assert f"{{% static '{script}' %}}" in (ROOT / template).read_text(encoding="utf-8")
