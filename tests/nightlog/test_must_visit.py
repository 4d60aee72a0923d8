"""Must-visit coverage for the appraisal's 优秀 test: the must-visit households of the
cadre's own village that he is linked to, and how many of them he visited in the year."""
from __future__ import annotations

import pytest

from nightlog.selectors import must_visit_coverage
from tests.nightlog.factories import aware, link, make_visit
from tests.residency.factories import make_household

pytestmark = pytest.mark.django_db


def test_only_the_villages_must_visit_households_he_is_linked_to_count(people, directory, households):
    cadre = people["cadre"]  # stationed in v11, which has one must-visit household (h11)
    extra = make_household(directory["v11"], head="钱多", categories=["business"])
    link(cadre, households["h11"])
    link(cadre, households["h12"])  # another village, and not a must-visit household
    link(cadre, households["h31"])  # a must-visit household of another village
    make_visit(cadre, households["h11"], visited_at=aware(2026, 3, 2))
    make_visit(cadre, households["h31"], visited_at=aware(2026, 3, 2))
    assert must_visit_coverage(cadre_ids=[cadre.pk], year=2026)[cadre.pk] == (1, 1, 2)
    assert extra.village_id == directory["v11"].pk


def test_linked_to_none_while_the_village_has_some_gives_zero_linked_of_a_nonzero_total(people,
                                                                                         households):
    """The appraisal reads (0, 0, 1) as 0% coverage, never as 'nothing needed'."""
    cadre = people["cadre"]
    assert must_visit_coverage(cadre_ids=[cadre.pk], year=2026)[cadre.pk] == (0, 0, 1)


def test_coverage_costs_four_queries_for_any_number_of_cadres(people, households,
                                                              django_assert_max_num_queries):
    ids = [people["cadre"].pk, people["cadre_other"].pk, people["cadre_far"].pk]
    link(people["cadre"], households["h11"])
    with django_assert_max_num_queries(4):
        must_visit_coverage(cadre_ids=ids, year=2026)
    assert must_visit_coverage(cadre_ids=[], year=2026) == {}
