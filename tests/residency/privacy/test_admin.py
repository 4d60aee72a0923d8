"""The Django admin shows ID cards and phones masked in its lists, audits every full record it
opens, and cannot delete visits (their revision history) or audit rows."""
from __future__ import annotations

import pytest
from django.urls import reverse

from residency.models import AuditLog
from tests.nightlog.factories import make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, people):
    client.force_login(people["system_admin"])
    return client


def test_the_household_list_in_the_admin_masks_id_cards_and_phones(admin_client, households):
    html = admin_client.get(reverse("admin:nightlog_household_changelist")).content.decode()
    assert "330483********1239" in html and "139****5678" in html
    assert "330483199001011239" not in html and "13912345678" not in html
    assert not AuditLog.objects.filter(action="admin_view").exists()


def test_opening_a_household_in_the_admin_is_audited(admin_client, households):
    h = households["h11"]
    response = admin_client.get(reverse("admin:nightlog_household_change", args=[h.pk]))
    assert response.status_code == 200
    entry = AuditLog.objects.get(action="admin_view")
    assert (entry.object_type, entry.object_id, entry.username) == (
        "nightlog.household", str(h.pk), "sysadmin")


def test_cadre_and_official_phones_are_masked_in_the_admin_lists_and_full_views_audited(
        admin_client, people):
    html = admin_client.get(reverse("admin:residency_cadre_changelist")).content.decode()
    assert "138****0001" in html and "13800000001" not in html
    admin_client.get(reverse("admin:residency_cadre_change", args=[people["cadre"].pk]))
    assert AuditLog.objects.filter(action="admin_view", object_type="residency.cadre",
                                   object_id=str(people["cadre"].pk)).exists()


def test_visits_cannot_be_deleted_in_the_admin(admin_client, people, households):
    visit = make_visit(people["cadre"], households["h11"])
    assert admin_client.get(
        reverse("admin:nightlog_visit_delete", args=[visit.pk])).status_code == 403
    changelist = admin_client.get(reverse("admin:nightlog_visit_changelist")).content.decode()
    assert "delete_selected" not in changelist
    admin_client.post(reverse("admin:nightlog_visit_changelist"),
                      {"action": "delete_selected", "_selected_action": [visit.pk], "post": "yes"})
    assert type(visit).objects.filter(pk=visit.pk).exists()


def test_audit_rows_cannot_be_deleted_in_the_admin(admin_client, people):
    row = AuditLog.objects.create(action="login", username="x")
    assert admin_client.get(
        reverse("admin:residency_auditlog_delete", args=[row.pk])).status_code == 403
    assert "delete_selected" not in admin_client.get(
        reverse("admin:residency_auditlog_changelist")).content.decode()
