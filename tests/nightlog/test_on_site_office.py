"""现场办公 is a recorded event on a problem: date, place, who attended, outcome."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nightlog import services
from nightlog.models import OnSiteOffice
from residency.models import AuditLog
from tests.nightlog.factories import make_problem, make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def problem(people, households):
    return make_problem(make_visit(people["cadre"], households["h11"]),
                        created_at=timezone.now() - timedelta(days=3))


def _record(problem, by, **overrides):
    data = {"held_on": timezone.localdate(), "place": "东村村部", "attendees": "镇农办、村书记",
            "outcome": "当场落实公益岗位"}
    data.update(overrides)
    return services.on_site_office_record(problem=problem, by=by, **data)


def test_the_raising_cadre_records_an_on_site_office_and_it_is_audited(problem, people):
    office = _record(problem, people["cadre"].user)
    assert office.problem == problem and office.recorded_by == people["cadre"].user
    assert AuditLog.objects.filter(action="on_site_office_record").exists()


def test_someone_who_cannot_act_on_the_problem_cannot_record_one(problem, people):
    with pytest.raises(ValidationError):
        _record(problem, people["cadre_other"].user)
    assert not OnSiteOffice.objects.exists()


@pytest.mark.parametrize("held_on", ["future", "before_raised"])
def test_the_date_is_neither_in_the_future_nor_before_the_problem(problem, people, held_on):
    day = (timezone.localdate() + timedelta(days=1) if held_on == "future"
           else timezone.localdate() - timedelta(days=10))
    with pytest.raises(ValidationError) as exc:
        _record(problem, people["cadre"].user, held_on=day)
    assert "held_on" in exc.value.message_dict


def test_place_attendees_and_outcome_are_required(problem, people):
    with pytest.raises(ValidationError):
        _record(problem, people["cadre"].user, outcome="  ")
    assert not OnSiteOffice.objects.exists()


def test_the_problem_page_shows_the_form_and_a_record_appears_after_posting(client, problem, people):
    client.force_login(people["township_admin"])
    page = client.get(reverse("nightlog:problem-detail", args=[problem.pk]))
    assert b'data-testid="on-site-form"' in page.content
    response = client.post(reverse("nightlog:problem-on-site", args=[problem.pk]), {
        "held_on": timezone.localdate().isoformat(), "place": "东村村部",
        "attendees": "镇农办", "outcome": "当场解决"}, follow=True)
    assert "现场办公已登记" in response.content.decode()
    assert "当场解决" in response.content.decode()


def test_bad_input_comes_back_on_the_form_in_chinese_not_an_error_status(client, problem, people):
    client.force_login(people["cadre"].user)
    response = client.post(reverse("nightlog:problem-on-site", args=[problem.pk]), {
        "held_on": (timezone.localdate() + timedelta(days=2)).isoformat(), "place": "村部",
        "attendees": "村书记", "outcome": "x"})
    assert response.status_code == 200
    assert "办公日期不能晚于今天" in response.content.decode()
    assert not OnSiteOffice.objects.exists()


def test_a_read_only_viewer_sees_no_form_and_cannot_post(client, problem, people):
    client.force_login(people["province_viewer"])
    page = client.get(reverse("nightlog:problem-detail", args=[problem.pk]))
    assert b'data-testid="on-site-form"' not in page.content
    client.post(reverse("nightlog:problem-on-site", args=[problem.pk]), {
        "held_on": timezone.localdate().isoformat(), "place": "村部", "attendees": "a",
        "outcome": "b"})
    assert not OnSiteOffice.objects.exists()
