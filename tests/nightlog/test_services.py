"""Service rules: ties, visits and their 48-hour windows, cards, consultations."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from nightlog import services
from nightlog.models import LinkedHousehold, Problem, Visit
from residency.models import AuditLog
from tests.nightlog.factories import aware, link, make_stay
from tests.residency.factories import make_cadre, make_household

pytestmark = pytest.mark.django_db


# --- Linked households ------------------------------------------------------------

def test_a_cadre_links_only_households_of_the_station_village(people, households):
    with pytest.raises(ValidationError) as err:
        services.link_create(cadre=people["cadre"], household=households["h12"],
                             by=people["township_admin"])
    assert "本人驻村村内" in str(err.value)
    created = services.link_create(cadre=people["cadre"], household=households["h11"],
                                   by=people["township_admin"])
    assert created.is_open and AuditLog.objects.filter(action="link_create").exists()


def test_a_household_has_at_most_one_open_link_per_cadre(people, households):
    services.link_create(cadre=people["cadre"], household=households["h11"], by=None)
    with pytest.raises(ValidationError):
        services.link_create(cadre=people["cadre"], household=households["h11"], by=None)


def test_the_database_refuses_a_second_open_link_too(people, households):
    link(people["cadre"], households["h11"])
    with pytest.raises(IntegrityError):
        link(people["cadre"], households["h11"])


def test_an_ended_link_can_be_renewed(people, households):
    first = services.link_create(cadre=people["cadre"], household=households["h11"], by=None)
    services.link_end(link=first, by=None)
    again = services.link_create(cadre=people["cadre"], household=households["h11"], by=None)
    assert again.pk != first.pk and LinkedHousehold.objects.count() == 2


def test_the_suggestion_fills_each_cadre_to_five_and_covers_every_must_visit_household(directory, people):
    v11 = directory["v11"]
    second = make_cadre(v11, username="cadre1b")
    musts = [make_household(v11, head=f"户{i}", categories=["hardship" if i < 3 else "large_farm"])
             for i in range(12)]
    make_household(v11, head="普通户", categories=[])
    created = services.links_apply_suggestion(village=v11, by=people["township_admin"])
    assert len(created) == 12
    counts = {c.pk: LinkedHousehold.objects.filter(cadre=c).count() for c in (people["cadre"], second)}
    assert all(n >= 5 for n in counts.values())
    assert set(LinkedHousehold.objects.values_list("household_id", flat=True)) == {h.pk for h in musts}
    hardship_ids = {h.pk for h in musts[:3]}
    assert hardship_ids <= set(LinkedHousehold.objects.values_list("household_id", flat=True))


# --- Visits -----------------------------------------------------------------------

def visit_kwargs(people, households, **over):
    data = dict(cadre=people["cadre"], household=households["h11"],
                visited_at=timezone.now() - timedelta(hours=1), by=people["cadre"].user,
                situation="户主眼睛失明，儿子打零工月收入约一千元，母亲患关节炎。",
                requests="希望给儿子找份合适的工作")
    data.update(over)
    return data


def test_a_visit_is_saved_with_its_first_revision(people, households):
    visit = services.visit_create(**visit_kwargs(people, households))
    assert visit.revisions.count() == 1 and visit.revisions.get().number == 1


def test_a_visit_in_the_future_is_refused(people, households):
    with pytest.raises(ValidationError) as err:
        services.visit_create(**visit_kwargs(people, households,
                                             visited_at=timezone.now() + timedelta(minutes=5)))
    assert "不能晚于现在" in str(err.value)
    assert not Visit.objects.exists()


def test_a_visit_47_hours_ago_is_a_normal_entry(people, households):
    visit = services.visit_create(**visit_kwargs(people, households,
                                                 visited_at=timezone.now() - timedelta(hours=47)))
    assert visit.pk and not visit.late_entry


def test_a_visit_without_content_is_refused(people, households):
    with pytest.raises(ValidationError) as err:
        services.visit_create(**visit_kwargs(people, households, situation=" ", requests=""))
    assert "至少填写" in str(err.value)


def test_the_database_refuses_an_empty_visit(people, households):
    with pytest.raises(IntegrityError):
        Visit.objects.create(cadre=people["cadre"], household=households["h11"],
                             visited_at=timezone.now() - timedelta(hours=1))


def test_a_visit_for_a_household_of_another_village_is_refused(people, households):
    with pytest.raises(ValidationError):
        services.visit_create(**visit_kwargs(people, households, household=households["h12"]))


def test_a_visit_after_midnight_belongs_to_the_previous_nights_stay(people, households, directory):
    night = timezone.localdate() - timedelta(days=1)
    stay = make_stay(people["cadre"], directory["v11"], night)
    at = aware(night.year, night.month, night.day, 23, 59) + timedelta(minutes=31)  # 00:30
    now = at + timedelta(hours=1)
    visit = services.visit_create(**visit_kwargs(people, households, visited_at=at), now=now)
    assert visit.stay == stay


def test_a_daytime_visit_outside_the_night_window_belongs_to_no_stay(people, households, directory):
    day = timezone.localdate() - timedelta(days=1)
    make_stay(people["cadre"], directory["v11"], day)
    at = aware(day.year, day.month, day.day, 14, 0)
    visit = services.visit_create(**visit_kwargs(people, households, visited_at=at),
                                  now=at + timedelta(hours=1))
    assert visit.stay is None


def test_a_visit_on_a_night_without_a_stay_belongs_to_no_stay(people, households):
    visit = services.visit_create(**visit_kwargs(people, households))
    assert visit.stay is None


def test_a_visit_can_raise_a_problem_handed_to_the_village_party_secretary(people, households):
    visit = services.visit_create(**visit_kwargs(people, households), problem={
        "summary": "帮儿子找份合适的工作", "owner": people["village_cadre"],
        "due_date": timezone.localdate() + timedelta(days=14), "category": "employment"})
    problem = visit.problems.get()
    assert problem.owner == people["village_cadre"] and visit.needs_follow_up
    assert problem.events.get().to_status == "raised"


def test_a_failed_problem_saves_nothing_of_the_visit(people, households):
    with pytest.raises(ValidationError):
        services.visit_create(**visit_kwargs(people, households), problem={
            "summary": "问题", "owner": people["township_admin"],
            "due_date": timezone.localdate() + timedelta(days=3)})
    assert not Visit.objects.exists() and not Problem.objects.exists()


def test_a_visit_can_be_corrected_within_48_hours_and_every_version_is_kept(people, households):
    visit = services.visit_create(**visit_kwargs(people, households))
    services.visit_update(visit=visit, by=people["cadre"].user, situation="更正后的情况",
                          now=timezone.now() + timedelta(hours=47))
    revisions = list(visit.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].data["situation"].startswith("户主眼睛失明")
    assert revisions[1].data["situation"] == "更正后的情况"
    assert revisions[1].changed_fields == ["situation"]


def test_a_visit_is_frozen_48_hours_after_creation(people, households):
    visit = services.visit_create(**visit_kwargs(people, households))
    with pytest.raises(ValidationError) as err:
        services.visit_update(visit=visit, by=people["cadre"].user, situation="晚了",
                              now=timezone.now() + timedelta(hours=48, minutes=1))
    assert "已锁定" in str(err.value)
    visit.refresh_from_db()
    assert visit.situation.startswith("户主") and visit.revisions.count() == 1


def test_a_correction_cannot_move_the_visit_beyond_the_late_entry_limit(people, households):
    visit = services.visit_create(**visit_kwargs(people, households))
    with pytest.raises(ValidationError):
        services.visit_update(visit=visit, by=people["cadre"].user,
                              visited_at=visit.created_at - timedelta(days=7, hours=1))
    moved = services.visit_update(visit=visit, by=people["cadre"].user,
                                  visited_at=visit.created_at - timedelta(hours=50))
    assert moved.late_entry  # beyond 48 hours: a 补记


def test_an_unchanged_save_adds_no_revision(people, households):
    visit = services.visit_create(**visit_kwargs(people, households))
    services.visit_update(visit=visit, by=people["cadre"].user, situation=visit.situation)
    assert visit.revisions.count() == 1


# --- Contact cards and consultations -------------------------------------------------

def test_a_contact_card_is_recorded_once_a_day_per_household(people, households):
    services.card_record(cadre=people["cadre"], household=households["h11"])
    with pytest.raises(ValidationError):
        services.card_record(cadre=people["cadre"], household=households["h11"])
    with pytest.raises(ValidationError):
        services.card_record(cadre=people["cadre"], household=households["h11"],
                             given_on=timezone.localdate() + timedelta(days=1))


def test_a_consultation_records_participants_by_kind_and_turns_problems_into_records(people, directory):
    consultation = services.consultation_create(
        cadre=people["cadre"], village=directory["v11"], held_on=timezone.localdate(),
        mode="down", topics="村道修缮", measures="村里出方案，镇里争取资金", by=people["cadre"].user,
        participants=[{"kind": "residents", "count": 12, "names": ""},
                      {"kind": "village_cadres", "count": 0, "names": "甲、乙"},
                      {"kind": "party_members", "count": 0, "names": ""}],
        problems=[{"summary": "村道坑洼", "owner": None,
                   "due_date": timezone.localdate() + timedelta(days=30)}])
    kinds = {p.kind: p.count for p in consultation.participants.all()}
    assert kinds == {"residents": 12, "village_cadres": 2}
    problem = consultation.problems.get()
    assert problem.owner == people["cadre"].user and problem.visit is None


def test_a_consultation_needs_participants_and_a_village_of_the_cadre(people, directory):
    with pytest.raises(ValidationError):
        services.consultation_create(cadre=people["cadre"], village=directory["v11"],
                                     held_on=date(2026, 1, 5), mode="up", topics="议题",
                                     by=None, participants=[])
    with pytest.raises(ValidationError):
        services.consultation_create(cadre=people["cadre"], village=directory["v12"],
                                     held_on=date(2026, 1, 5), mode="up", topics="议题", by=None,
                                     participants=[{"kind": "residents", "count": 3}])
