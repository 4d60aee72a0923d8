import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from residency.models import AuditLog, CadrePreference
from residency.roster.services import preference_set

pytestmark = pytest.mark.django_db


def test_a_cadre_states_preferred_and_avoided_weekdays(people):
    pref = preference_set(cadre=people["cadre"], preferred_weekdays=[1, 3, 3],
                          avoided_weekdays=[4])
    assert (pref.preferred_weekdays, pref.avoided_weekdays) == ([1, 3], [4])
    assert AuditLog.objects.filter(action="preference_set").exists()


def test_a_day_cannot_be_both_preferred_and_avoided(people):
    with pytest.raises(ValidationError):
        preference_set(cadre=people["cadre"], preferred_weekdays=[2], avoided_weekdays=[2])
    assert not CadrePreference.objects.exists()


def test_the_preference_page_saves_and_shows_the_choice(client, people):
    client.force_login(people["cadre"].user)
    response = client.post(reverse("residency:preference-update"),
                           {"preferred_weekdays": ["0", "2"], "avoided_weekdays": ["4"]})
    assert response.status_code == 302
    assert CadrePreference.objects.get(cadre=people["cadre"]).avoided_weekdays == [4]


def test_the_preference_page_refuses_a_contradiction_with_a_chinese_message(client, people):
    client.force_login(people["cadre"].user)
    response = client.post(reverse("residency:preference-update"),
                           {"preferred_weekdays": ["4"], "avoided_weekdays": ["4"]})
    assert response.status_code == 400
    assert "不能既" in response.content.decode()
    assert not CadrePreference.objects.exists()


def test_a_bad_weekday_value_is_a_form_error_not_a_500(client, people):
    client.force_login(people["cadre"].user)
    response = client.post(reverse("residency:preference-update"), {"preferred_weekdays": ["9"]})
    assert response.status_code == 400


def test_the_planner_input_carries_the_preferences(people, directory):
    from datetime import date

    from residency.roster.services import roster_week_get
    from residency.roster.services.planning import build_plan_input

    preference_set(cadre=people["cadre"], preferred_weekdays=[0], avoided_weekdays=[4])
    week = roster_week_get(township=directory["t1"], week_start=date(2026, 3, 2))
    inp, _existing = build_plan_input(week=week, today=date(2026, 3, 1))
    mine = next(c for c in inp.cadres if c.id == people["cadre"].pk)
    assert mine.preferred_weekdays == frozenset({0}) and mine.avoided_weekdays == frozenset({4})
