"""seed_demo builds the article's county (桐乡市: 12 townships, 174 villages, 929 cadres),
deterministically, with generated names only, and one working login per role.

The full seed runs once for this module inside an outer transaction that is rolled back
at the end; each test runs in a savepoint inside it (so tests may reset and re-seed)."""
from __future__ import annotations

import random
import time
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from nightlog.models import Household
from residency.access.roles import ROLE_LABELS, Role, role_of
from residency.demo import directory as demo
from residency.demo.people import REAL_NAMES, PeopleGenerator, cadre_counts
from residency.management.commands import seed_demo
from residency.models import AuditLog, Cadre, County, Official, Station, Township, Village
from residency.privacy.masking import id_card_error, phone_error

pytestmark = pytest.mark.django_db
User = get_user_model()


def run_seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def directory_snapshot() -> list[tuple]:
    """Who is stationed where, by name: equal for equal seeds."""
    return list(Station.objects.order_by("cadre__user__username").values_list(
        "cadre__user__username", "cadre__name", "cadre__position", "village__name",
        "village__township__name"))


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            started = time.monotonic()
            output = run_seed("--seed", "2013")
            seconds = time.monotonic() - started
            yield {"output": output, "seconds": seconds, "snapshot": directory_snapshot()}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- the county ----------------------------------------------------------------------


def test_demo_steps_are_the_agreed_list():
    assert seed_demo.DEMO_STEPS == ["residency.demo.directory.seed_directory", "residency.demo.roster.seed",
                                    "nightlog.demo.seed", "appraisal.demo.seed"]


def test_the_whole_seed_takes_under_a_minute(seeded):
    assert seeded["seconds"] < 60


def test_the_county_is_tongxiang_with_twelve_townships_three_of_them_subdistricts(seeded):
    county = County.objects.get(code="330483")
    assert county.name == "桐乡市"
    kinds = Counter(Township.objects.filter(county=county).values_list("kind", flat=True))
    assert kinds == {Township.Kind.SUBDISTRICT: 3, Township.Kind.TOWN: 9}


def test_there_are_174_villages_some_of_them_communities(seeded):
    villages = Village.objects.filter(township__county__code="330483")
    assert villages.count() == 174
    kinds = Counter(villages.values_list("kind", flat=True))
    assert kinds[Village.Kind.COMMUNITY] > 0 and kinds[Village.Kind.VILLAGE] > 100
    names = list(villages.values_list("name", flat=True))
    assert len(set(names)) == len(names)
    assert all(n.endswith("村") or n.endswith("社区") for n in names)


def test_929_cadres_each_stationed_once_in_a_village_of_his_own_township(seeded):
    assert Cadre.objects.count() == 929
    stations = Station.objects.filter(end__isnull=True).select_related("cadre", "village")
    assert stations.count() == 929
    assert all(s.village.township_id == s.cadre.township_id for s in stations)


def test_stationing_is_uneven_from_two_to_nine_a_village(seeded):
    per_village = Counter(Station.objects.values_list("village_id", flat=True))
    counts = [per_village.get(pk, 0) for pk in Village.objects.values_list("pk", flat=True)]
    assert min(counts) == 2
    assert sum(1 for c in counts if c <= 3) >= 5
    assert max(counts) == 9 and counts.count(9) >= 3
    assert 5.0 < sum(counts) / len(counts) < 5.6  # about 5.3 a village, as in the article


def test_every_cadre_is_a_cadre_login_with_a_post_and_a_unique_mobile(seeded):
    cadres = list(Cadre.objects.select_related("user"))
    phones = [c.phone for c in cadres]
    assert len(set(phones)) == 929
    assert all(phone_error(p) is None and len(p) == 11 for p in phones)
    assert all(c.position for c in cadres)
    positions = Counter(c.position for c in cadres)
    assert positions["党委副书记"] >= 9 and positions["副镇长"] >= 9 and positions["科员"] > 200
    group_members = set(User.objects.filter(groups__name=Role.CADRE.value)
                        .values_list("pk", flat=True))
    assert {c.user_id for c in cadres} == group_members
    assert all(c.user.first_name == c.name for c in cadres)


def test_about_thirty_households_a_village_with_realistic_category_shares(seeded):
    per_village = Counter(Household.objects.values_list("village_id", flat=True))
    assert len(per_village) == 174
    assert all(24 <= n <= 36 for n in per_village.values())
    households = list(Household.objects.values_list("categories", "is_key"))
    total = len(households)
    share = {code: sum(code in cats for cats, _k in households) / total
             for code in ("hardship", "large_farm", "group_leader", "private_business",
                          "key_person")}
    assert 0.065 < share["hardship"] < 0.095
    assert 0.035 < share["large_farm"] < 0.065
    assert 0.065 < share["group_leader"] < 0.095
    assert 0.045 < share["private_business"] < 0.075
    assert 0.01 < share["key_person"] < 0.03
    assert sum(len(cats) >= 2 for cats, _k in households) > 20  # some are in several
    assert 0.04 < sum(k for _c, k in households) / total < 0.07  # 重点户 about 5%


def test_every_household_id_card_is_valid_and_from_tongxiang(seeded):
    rows = list(Household.objects.values_list("id_card", "phone"))
    assert all(id_card_error(card) is None for card, _p in rows)
    assert all(card.startswith("330483") for card, _p in rows)
    assert all(phone_error(phone) is None for _c, phone in rows)
    assert len({card for card, _p in rows}) == len(rows)


def test_no_real_person_from_the_article_is_in_the_demo(seeded):
    names = set(Cadre.objects.values_list("name", flat=True))
    names |= set(Official.objects.values_list("name", flat=True))
    names |= set(Household.objects.values_list("head", flat=True))
    names |= set(User.objects.values_list("first_name", flat=True))
    assert REAL_NAMES == {"施燕", "李明月", "姜发挥", "陈建松", "祁桂仙", "范忠伟", "孙研"}
    assert not names & REAL_NAMES
    assert all(real not in name for name in names for real in REAL_NAMES)


def test_the_name_generator_rejects_the_real_names_even_when_drawn():
    class Rigged(random.Random):
        """Draws 施 + 燕 (a real person) first, then 施 + 红."""

        script = iter(["燕", "施", "红", "施"])

        def choice(self, seq):
            return next(self.script)

        def random(self):
            return 0.9  # one-syllable given name

    person = PeopleGenerator(Rigged()).person(male=False)
    assert person.name == "施红"


def test_cadre_counts_always_add_up_within_the_bounds():
    for seed in range(50):
        counts = cadre_counts(random.Random(seed), 174, 929)
        assert sum(counts) == 929 and min(counts) == 2 and max(counts) == 9
        assert counts.count(2) >= 3 and counts.count(3) >= 2 and counts.count(9) >= 3


# --- determinism and idempotence ------------------------------------------------------


@pytest.fixture
def directory_step_only(monkeypatch):
    """Re-seeding runs only the directory step (the later steps have their own tests);
    reset still removes everything every step made."""
    monkeypatch.setattr(seed_demo, "DEMO_STEPS", ["residency.demo.directory.seed_directory"])


def test_the_same_seed_gives_the_same_names_and_stationing(seeded, directory_step_only):
    run_seed("--reset", "--seed", "2013")
    assert directory_snapshot() == seeded["snapshot"]


def test_another_seed_gives_other_names(seeded, directory_step_only):
    run_seed("--reset", "--seed", "7")
    snapshot = directory_snapshot()
    assert len(snapshot) == 929
    assert [row[1] for row in snapshot] != [row[1] for row in seeded["snapshot"]]
    assert [row[3] for row in snapshot] != [row[3] for row in seeded["snapshot"]]


def test_seeding_twice_is_refused_with_a_clear_message(seeded):
    with pytest.raises(CommandError, match="演示数据已存在.*--reset"):
        run_seed()
    assert County.objects.count() == 1 and Cadre.objects.count() == 929


def test_reset_replaces_the_demo_and_keeps_the_audit_log(seeded, directory_step_only):
    demo_cadre = User.objects.get(username="demo_cadre")
    AuditLog.objects.create(user=demo_cadre, username="demo_cadre", action="login")
    output = run_seed("--reset", "--seed", "5")
    assert "已删除演示数据" in output
    assert County.objects.filter(code="330483").count() == 1
    assert Cadre.objects.count() == 929 and Village.objects.count() == 174
    kept = AuditLog.objects.get(action="login", username="demo_cadre")
    assert kept.user_id is None  # the old user is gone, the row stays
    assert User.objects.get(username="demo_cadre").pk != demo_cadre.pk


def test_a_real_county_with_the_demo_code_is_never_touched(seeded):
    demo.demo_reset()
    real = County.objects.create(code="330483", name="桐乡市")
    with pytest.raises(CommandError, match="不是演示数据"):
        run_seed("--reset")
    assert County.objects.filter(pk=real.pk).exists()
    assert not Cadre.objects.exists()


def test_if_empty_does_nothing_when_data_exists(seeded):
    users = User.objects.count()
    output = run_seed("--if-empty")
    assert "跳过" in output
    assert User.objects.count() == users and County.objects.count() == 1


def test_if_empty_seeds_an_empty_database(seeded, directory_step_only):
    assert demo.demo_reset() is True
    assert County.objects.count() == 0
    output = run_seed("--if-empty")
    assert "演示数据已生成" in output
    assert Cadre.objects.count() == 929


def test_a_step_whose_module_does_not_exist_is_skipped_with_a_note(seeded, monkeypatch):
    monkeypatch.setattr(seed_demo, "DEMO_STEPS", ["residency.demo_not_written_yet.seed"])
    output = run_seed("--reset")
    assert "跳过 residency.demo_not_written_yet.seed" in output


def test_a_broken_import_inside_a_step_is_not_hidden(tmp_path, monkeypatch):
    (tmp_path / "half_written_step.py").write_text("import no_such_module_anywhere\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert seed_demo.load_step("residency.demo_not_written_yet.seed") is None
    assert seed_demo.load_step("residency.demo.directory.seed_directory") is demo.seed_directory
    with pytest.raises(ModuleNotFoundError, match="no_such_module_anywhere"):
        seed_demo.load_step("half_written_step.seed")


# --- logins --------------------------------------------------------------------------


def test_the_output_lists_every_login_with_role_name_and_password(seeded):
    output = seeded["output"]
    for role, username in demo.DEMO_LOGINS.items():
        assert username in output and str(ROLE_LABELS[role]) in output
    assert demo.DEMO_PASSWORD in output
    assert "929 名住村干部" in output


def test_the_demo_password_passes_the_validators_for_every_login(seeded):
    users = list(User.objects.filter(username__in=demo.DEMO_LOGINS.values()))
    assert len(users) == len(demo.DEMO_LOGINS)
    for user in users:
        assert validate_password(demo.DEMO_PASSWORD, user) is None  # raises when refused
    with pytest.raises(ValidationError):
        validate_password("short1", users[0])  # the validators are really on


@pytest.mark.parametrize("role", list(Role))
def test_each_demo_login_works_and_lands_on_its_home_page(seeded, client, role):
    username = demo.DEMO_LOGINS[role]
    response = client.post(reverse("login"), {"username": username,
                                              "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert f"residency/home_{role.value}.html" in [t.name for t in home.templates]
    assert str(ROLE_LABELS[role]) in home.content.decode()
    assert role_of(home.context["user"]) == role


def test_the_role_logins_are_scoped_around_the_demo_cadre(seeded):
    cadre = Cadre.objects.get(user__username="demo_cadre")
    village = cadre.stations.get(end__isnull=True).village
    assert cadre.position == "党委副书记"
    assert Station.objects.filter(village=village).count() >= 5
    township_admin = Official.objects.get(user__username="demo_township")
    assert township_admin.township == cadre.township == village.township
    assert Official.objects.get(user__username="demo_village").village == village
    inspected = Official.objects.get(user__username="demo_inspector").inspected_villages.all()
    assert village in inspected and len(inspected) == 6
    assert {v.township_id for v in inspected} == {cadre.township_id}
    assert Official.objects.get(user__username="demo_org").county == cadre.township.county
    assert User.objects.get(username="demo_admin").is_superuser


def test_every_village_office_is_placed_around_tongxiang_and_the_same_on_every_run(seeded):
    from decimal import Decimal

    from residency.demo.places import demo_checkin, office_position
    from residency.models import Stay

    rows = list(Village.objects.values_list("latitude", "longitude"))
    assert len(rows) == 174
    assert all(Decimal("30.5") <= lat <= Decimal("30.8") and Decimal("120.3") <= lon <= Decimal("120.7")
               for lat, lon in rows)
    assert len(set(rows)) == 174  # no two offices on one spot
    assert office_position(3, "x-004-001") == office_position(3, "x-004-001")
    # Most demo check-ins are near the office; a few are flagged far, a few have no position.
    checked = Stay.objects.filter(checked_in_at__isnull=False)
    if checked.count() >= 100:
        far = checked.filter(checkin_far=True).count()
        assert 0 < far < checked.count() * 0.1
        assert checked.filter(checkin_position_status="denied").exists()
    assert demo_checkin("1-2026-03-02", (Decimal("30.6"), Decimal("120.5"))) == demo_checkin(
        "1-2026-03-02", (Decimal("30.6"), Decimal("120.5")))
