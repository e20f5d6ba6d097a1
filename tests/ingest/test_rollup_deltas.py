"""The gate's accumulation of rollup deltas (``bulk.RollupDeltas``) gives, cell by cell, the
counts and float sums of adding each contribution in turn, whatever the counts and signs."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from ioc57.ingest.bulk import RollupDeltas

contribution = st.tuples(
    st.sampled_from(["a", "b", "c"]),
    st.sampled_from([date(2025, 1, 1), date(2025, 1, 2)]),
    st.sampled_from(["", "x=1"]),
    st.integers(-2, 3),
    st.one_of(st.just(0.0), st.floats(-1e6, 1e6, allow_nan=False)),
)
call = st.tuples(
    st.lists(contribution, max_size=6),
    st.lists(st.sampled_from([(1, "82"), (2, "82"), (3, "01")]), max_size=3, unique=True),
    st.sampled_from([1, -1]),
)


def by_hand(calls):
    """Each contribution added in turn to each target's cell, as rows of ``rows()``."""
    cells: dict = {}
    for contributions, targets, sign in calls:
        for unit_id, province in targets:
            for metric, day, dims, count, total in contributions:
                n, s, _p = cells.get((metric, unit_id, day, dims), (0, 0.0, province))
                cells[(metric, unit_id, day, dims)] = (n + sign * count, s + sign * total, province)
    return sorted((*key, p, n, s) for key, (n, s, p) in cells.items() if n != 0 or s != 0.0)


@settings(max_examples=300, deadline=None)
@given(st.lists(call, max_size=8))
def test_deltas_equal_adding_each_contribution_in_turn(calls):
    deltas = RollupDeltas()
    for contributions, targets, sign in calls:
        deltas.add(contributions, targets, sign)
    assert sorted(deltas.rows()) == by_hand(calls)


def test_days_come_out_converted_once_each():
    deltas = RollupDeltas()
    deltas.add([("a", date(2025, 1, 1), "", 1, 0.0)], [(1, "82"), (2, "82")], +1)
    assert sorted(deltas.rows(date.isoformat)) == [
        ("a", 1, "2025-01-01", "", "82", 1, 0.0),
        ("a", 2, "2025-01-01", "", "82", 1, 0.0),
    ]
