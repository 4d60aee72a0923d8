import pytest

from nightlog.models import Household
from residency.access.scoping import build_scope
from residency.models import Cadre, Township, Village

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(str(o) for o in qs)


def test_cadre_sees_own_village_households_only(people, households):
    scope = build_scope(people["cadre"].user)
    assert names(scope.filter(Household.objects.all())) == ["王大明户"]


def test_cadre_sees_only_himself_among_cadres(people):
    scope = build_scope(people["cadre"].user)
    assert list(scope.filter(Cadre.objects.all())) == [people["cadre"]]


def test_township_admin_sees_own_township(people, households, directory):
    scope = build_scope(people["township_admin"])
    assert names(scope.filter(Village.objects.all())) == ["东村", "西村"]
    assert names(scope.filter(Household.objects.all())) == ["李小红户", "王大明户"]
    assert names(scope.filter(Township.objects.all())) == ["甲镇"]


def test_org_department_sees_its_county_not_the_other(people, households):
    scope = build_scope(people["org_department"])
    assert names(scope.filter(Village.objects.all())) == ["东村", "南社区", "西村"]
    assert "赵一户" not in names(scope.filter(Household.objects.all()))


def test_province_viewer_sees_every_county_read_only(people, households):
    scope = build_scope(people["province_viewer"])
    assert scope.read_only
    assert len(scope.filter(Village.objects.all())) == 4


def test_inspector_sees_inspected_villages(people):
    scope = build_scope(people["inspector"])
    assert names(scope.filter(Village.objects.all())) == ["东村"]


def test_village_cadre_sees_own_village(people):
    scope = build_scope(people["village_cadre"])
    assert names(scope.filter(Village.objects.all())) == ["东村"]


def test_user_without_role_sees_nothing(db, directory):
    from tests.residency.factories import make_user

    scope = build_scope(make_user("nobody"))
    assert scope.filter(Village.objects.all()).count() == 0


def test_cadre_without_station_sees_no_village(people, directory):
    cadre = people["cadre"]
    cadre.stations.update(end="2026-02-01")
    scope = build_scope(cadre.user)
    assert scope.filter(Village.objects.all()).count() == 0
