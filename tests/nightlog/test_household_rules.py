"""Household invariants held by the database."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from nightlog.models import Household

pytestmark = pytest.mark.django_db

ID = "330483198502031233"


def test_two_households_can_not_share_an_id_card_even_in_different_counties(directory):
    Household.objects.create(village=directory["v11"], head="钱一", id_card=ID)
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.create(village=directory["v31"], head="钱一", id_card=ID)
    assert Household.objects.filter(id_card=ID).count() == 1


def test_many_households_may_have_no_id_card(directory):
    Household.objects.create(village=directory["v11"], head="甲")
    Household.objects.create(village=directory["v11"], head="乙")
    assert Household.objects.filter(id_card="").count() == 2


def test_validating_a_household_with_a_taken_id_card_says_so_in_chinese(directory):
    Household.objects.create(village=directory["v11"], head="钱一", id_card=ID)
    with pytest.raises(ValidationError) as err:
        Household(village=directory["v12"], head="孙二", id_card=ID).full_clean()
    assert "该身份证号的农户已存在" in str(err.value)
