"""The audit log page speaks Chinese: actions and object types by name, a filter by action."""
from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from residency import audit
from residency.audit.labels import ACTION_LABELS, action_label, object_type_label

ROOT = Path(__file__).resolve().parents[3]


def test_every_action_the_code_records_has_a_chinese_name():
    recorded = set()
    for app in ("residency", "nightlog", "appraisal", "notifications"):
        for path in (ROOT / app).rglob("*.py"):
            recorded |= set(re.findall(r"audit\.record\(\s*\"([a-z_]+)\"", path.read_text(encoding="utf-8")))
    assert recorded, "the scan found no audit.record calls"
    assert sorted(recorded - set(ACTION_LABELS)) == []


def test_unknown_codes_and_types_are_shown_as_stored():
    assert action_label("login_failed") == "登录失败"
    assert action_label("something_new") == "something_new"
    assert object_type_label("residency.township") == "镇(街道)"
    assert object_type_label("nope.nothing") == "nope.nothing" and object_type_label("") == ""


def test_the_audit_page_names_actions_and_objects_in_chinese_and_filters_by_action(
        client, people, directory, django_assert_max_num_queries):
    audit.record("roster_export_xlsx", obj=directory["t1"], user=people["org_department"], week="2026-W10")
    audit.record("login_failed", user=None, success=False)
    client.force_login(people["org_department"])
    url = reverse("residency:auditlog-list")
    page = client.get(url).content.decode()
    assert "导出排班 (Excel)" in page and "roster_export_xlsx</td>" not in page
    assert f"镇(街道) {directory['t1'].name}" in page
    assert '<option value="login_failed"' in page
    filtered = client.get(url + "?action=roster_export_xlsx").content.decode()
    assert "导出排班 (Excel)" in filtered and '<option value="roster_export_xlsx" selected' in filtered
    for i in range(30):
        audit.record("roster_export_xlsx", obj=directory["t1"], user=people["org_department"], n=i)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
