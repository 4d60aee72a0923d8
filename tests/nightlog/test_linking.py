"""The suggestion that fills each cadre up to 5 ties (pure)."""
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from nightlog.linking import MINIMUM_LINKS, Candidate, suggest_links


def cand(pk, hardship=False, key=False, n=1):
    return Candidate(household_id=pk, hardship=hardship, key=key, categories=n)


def test_hardship_and_key_households_are_suggested_first():
    pairs = suggest_links({1: 4}, [cand(10), cand(11, key=True), cand(12, hardship=True)])
    assert [h for _c, h in pairs] == [12, 11, 10]


def test_each_cadre_is_filled_up_to_five_before_anyone_gets_a_sixth():
    pairs = suggest_links({1: 5, 2: 0}, [cand(i) for i in range(10, 16)])
    counts = Counter(c for c, _h in pairs)
    assert counts[2] == 5 and counts[1] == 1


def test_without_cadres_nothing_is_suggested():
    assert suggest_links({}, [cand(1)]) == []


@given(st.dictionaries(st.integers(1, 6), st.integers(0, 8), min_size=1),
       st.sets(st.integers(100, 200), max_size=40))
def test_every_must_visit_household_gets_exactly_one_cadre(loads, households):
    pairs = suggest_links(loads, [cand(h) for h in households])
    assert sorted(h for _c, h in pairs) == sorted(households)
    final = {c: loads[c] + sum(1 for cc, _h in pairs if cc == c) for c in loads}
    receivers = {c for c, _h in pairs}
    # Always the least-loaded: nobody got a household while someone else ended lower.
    if receivers:
        assert max(final[c] - 1 for c in receivers) <= min(final.values())
    if len(households) >= MINIMUM_LINKS * len(loads):
        assert min(final.values()) >= MINIMUM_LINKS
