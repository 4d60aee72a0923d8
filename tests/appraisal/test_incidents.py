"""The incident builder, pure: whatever mix of signals, leave, swaps and station periods,
at most one incident per cadre-night, none under leave, swap or outside the station, none
for inactive cadres, and every counting signal attached to its night's incident once."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.incidents import (
    FAR_CHECKIN,
    KINDS,
    MISSED_CHECKIN,
    SPOT_CHECK_ABSENT,
    Context,
    Period,
    Signal,
    build_incidents,
)

D0 = date(2026, 3, 2)
CADRES = [1, 2, 3]
VILLAGE = {1: 10, 2: 20, 3: 30}
nights = st.integers(0, 13).map(lambda i: D0 + timedelta(days=i))


def periods():
    return st.lists(st.tuples(st.integers(-3, 14), st.integers(0, 10), st.booleans()).map(
        lambda t: Period(D0 + timedelta(days=t[0]),
                         None if t[2] else D0 + timedelta(days=t[0] + t[1]))), max_size=2)


signals = st.lists(st.builds(
    Signal, cadre_id=st.sampled_from(CADRES), night=nights, kind=st.sampled_from(KINDS),
    source_id=st.integers(1, 30), village_id=st.sampled_from([10, 20, 30, None])), max_size=40)


@st.composite
def contexts(draw):
    return Context(
        active=frozenset(draw(st.sets(st.sampled_from(CADRES)))),
        stations={c: tuple(draw(periods())) for c in CADRES},
        leave={c: tuple(draw(periods())) for c in CADRES},
        swapped_away=frozenset(draw(st.sets(st.tuples(st.sampled_from(CADRES), nights), max_size=5))),
        on_duty={(VILLAGE[c], D0 + timedelta(days=i)): frozenset({c})
                 for c in CADRES for i in range(14) if draw(st.booleans())})


@settings(max_examples=300, deadline=None)
@given(signals, contexts())
def test_at_most_one_incident_per_cadre_night_and_none_that_the_rules_exclude(sigs, ctx):
    built = build_incidents(sigs, ctx)
    keys = [i.key for i in built]
    assert len(keys) == len(set(keys))
    for incident in built:
        cadre, night = incident.key
        assert cadre in ctx.active
        assert any(night in p for p in ctx.stations[cadre])
        assert not any(night in p for p in ctx.leave[cadre])
        assert (cadre, night) not in ctx.swapped_away
        assert incident.signals
        assert len({s.key for s in incident.signals}) == len(incident.signals)
        for s in incident.signals:
            assert (s.cadre_id, s.night) == incident.key
            assert s.village_id is None or cadre in ctx.on_duty.get((s.village_id, night), ())


@settings(max_examples=200, deadline=None)
@given(signals, contexts())
def test_every_counting_signal_lands_in_its_nights_incident(sigs, ctx):
    built = {i.key: {s.key for s in i.signals} for i in build_incidents(sigs, ctx)}
    for s in sigs:
        cadre, night = s.cadre_id, s.night
        ok = (cadre in ctx.active and any(night in p for p in ctx.stations[cadre])
              and not any(night in p for p in ctx.leave[cadre])
              and (cadre, night) not in ctx.swapped_away
              and (s.village_id is None or cadre in ctx.on_duty.get((s.village_id, night), ())))
        assert (s.key in built.get((cadre, night), set())) == ok


@settings(max_examples=100, deadline=None)
@given(signals, contexts())
def test_the_result_does_not_depend_on_the_order_of_the_signals(sigs, ctx):
    assert build_incidents(sigs, ctx) == build_incidents(list(reversed(sigs)), ctx)


def _ctx(**kw):
    base = dict(active=frozenset({1}), stations={1: (Period(D0),)},
                on_duty={(10, D0): frozenset({1})})
    base.update(kw)
    return Context(**base)


def test_three_signals_of_one_night_make_one_incident_with_three_pieces_of_evidence():
    sigs = [Signal(1, D0, MISSED_CHECKIN, 5, 10), Signal(1, D0, SPOT_CHECK_ABSENT, 7, 10),
            Signal(1, D0, FAR_CHECKIN, 5, 10), Signal(1, D0, SPOT_CHECK_ABSENT, 7, 10)]
    [incident] = build_incidents(sigs, _ctx())
    assert incident.kinds == (MISSED_CHECKIN, SPOT_CHECK_ABSENT, FAR_CHECKIN)
    assert len(incident.signals) == 3


def test_a_night_under_approved_leave_produces_nothing():
    ctx = _ctx(leave={1: (Period(D0, D0),)})
    assert build_incidents([Signal(1, D0, MISSED_CHECKIN, 5, 10)], ctx) == []


def test_a_night_given_away_by_an_approved_swap_produces_nothing():
    ctx = _ctx(swapped_away=frozenset({(1, D0)}))
    assert build_incidents([Signal(1, D0, SPOT_CHECK_ABSENT, 5, 10)], ctx) == []


def test_an_inactive_cadre_produces_nothing():
    assert build_incidents([Signal(1, D0, MISSED_CHECKIN, 5, 10)], _ctx(active=frozenset())) == []


def test_a_night_before_the_station_starts_produces_nothing():
    ctx = _ctx(stations={1: (Period(D0 + timedelta(days=1)),)})
    assert build_incidents([Signal(1, D0, MISSED_CHECKIN, 5, 10)], ctx) == []


def test_a_spot_check_of_a_cadre_not_on_duty_in_that_village_produces_nothing():
    assert build_incidents([Signal(1, D0, SPOT_CHECK_ABSENT, 5, 20)], _ctx()) == []


def test_an_unknown_signal_kind_produces_nothing():
    assert build_incidents([Signal(1, D0, "week_below_minimum", 5, 10)], _ctx()) == []
