"""The load benchmark's harness cannot rot: ``bench/load.py --smoke`` runs for a few seconds
against a live server on 127.0.0.1 with the demo county and must finish with every user
logged in and no 5xx. Nothing is timed here (CI never times anything)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parent.parent


def test_the_bare_benchmark_page_is_not_served_by_the_project_urls():
    with pytest.raises(Resolver404):
        resolve("/bench/bare/", urlconf="tongxiang.urls")
    assert resolve("/bench/bare/", urlconf="tongxiang.bench_urls").url_name == "bench-bare"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_load_smoke_run_completes_without_server_errors(live_server, settings):
    settings.ROOT_URLCONF = "tongxiang.bench_urls"
    call_command("seed_demo", verbosity=0)
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--smoke", "--base", live_server.url],
        capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bare (template, no query)" in result.stdout
    assert "cadre: home" in result.stdout
