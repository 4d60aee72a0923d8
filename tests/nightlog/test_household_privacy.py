import pytest
from django.urls import reverse

from residency.models import AuditLog

pytestmark = pytest.mark.django_db


def test_household_page_masks_id_card_and_phone(client, people, households):
    client.force_login(people["cadre"].user)
    html = client.get(reverse("nightlog:household-detail", args=[households["h11"].pk])).content.decode()
    assert "330483********1239" in html and "139****5678" in html
    assert "330483199001011239" not in html


def test_admin_full_view_is_unmasked_and_audited(client, people, households):
    client.force_login(people["township_admin"])
    h = households["h11"]
    html = client.get(reverse("nightlog:household-detail-full", args=[h.pk])).content.decode()
    assert "330483199001011239" in html
    entry = AuditLog.objects.get(action="household_view")
    assert entry.object_id == str(h.pk) and entry.username == "tadmin" and entry.success


def test_cadre_asking_for_full_view_stays_masked_and_the_attempt_is_audited(client, people, households):
    client.force_login(people["cadre"].user)
    html = client.get(reverse("nightlog:household-detail-full", args=[households["h11"].pk])).content.decode()
    assert "330483199001011239" not in html
    assert AuditLog.objects.get(action="household_view").success is False


def test_household_list_masks_phones(client, people, households):
    client.force_login(people["township_admin"])
    html = client.get(reverse("nightlog:household-list")).content.decode()
    assert "139****5678" in html and "13912345678" not in html
