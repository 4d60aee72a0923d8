"""What the roster pages show a person (issue 12, point 7): dates a date input accepts,
people's names instead of logins, and when tonight's check-in opens."""
from __future__ import annotations

import re
from datetime import datetime, time

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from residency.models import SpotCheck
from residency.roster.services import opens_later_today
from tests.residency.roster.test_views import login

pytestmark = pytest.mark.django_db


def test_the_leave_form_fills_its_dates_as_iso_values_a_date_input_accepts(client, people):
    login(client, people["cadre"].user.username)
    html = client.get(reverse("residency:leave-create")).content.decode()
    today = timezone.localdate().isoformat()
    for name in ("start", "end"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'type="date"' in tag and f'value="{today}"' in tag, tag


def test_the_spot_check_list_names_the_inspector_not_the_login(client, people, directory):
    inspector = people["inspector"]
    inspector.official.name = "钟霞悦"
    inspector.official.save(update_fields=["name"])
    SpotCheck.objects.create(village=directory["v11"], at=timezone.now(),
                             night=timezone.localdate(), expected_cadre=people["cadre"],
                             present=True, inspector=inspector)
    login(client, people["township_admin"].username)
    html = client.get(reverse("residency:spotcheck-list")).content.decode()
    row = html.split("<tbody")[1].split("</tbody>")[0]
    assert inspector.official.name in row and inspector.username not in row


def _at(hh, mm):
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(hh, mm)))


@pytest.mark.parametrize(("moment", "expected"), [
    ((8, 0), "17:00"), ((16, 59), "17:00"), ((17, 0), ""), ((23, 0), ""), ((1, 30), ""),
    ((2, 30), "17:00")])
def test_before_the_window_the_card_knows_when_check_in_opens(moment, expected):
    assert opens_later_today(_at(*moment)) == expected


def test_before_1700_the_check_in_card_says_when_check_in_opens(people):
    class Tonight:
        night = timezone.localdate()
        village = people["cadre"].stations.get().village
        borrowed = False
        checked_in_at = None
        pk = 1

    request = RequestFactory().get("/")
    html = render_to_string("residency/checkin_button.html", {
        "tonight": Tonight, "checkin_open": False, "window": "每晚 17:00 至次日 02:00",
        "opens_at": "17:00", "request": request})
    assert "今晚 17:00 开放签到" in html and 'data-testid="checkin"' not in html
    html = render_to_string("residency/checkin_button.html", {
        "tonight": Tonight, "checkin_open": False, "window": "每晚 17:00 至次日 02:00",
        "opens_at": "", "request": request})
    assert "今晚的签到时间已过" in html
