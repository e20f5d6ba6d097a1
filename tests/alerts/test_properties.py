"""Properties of the state machine over random sequences of observations (hypothesis), and of
evaluation: the states a stored instance moves through, evaluated step by step against the
database, are those the pure machine gives folded over the same observations; evaluating the same
samples twice at the same time changes nothing."""

from __future__ import annotations

import itertools
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ioc57.alerts.evaluate import observe
from ioc57.alerts.machine import Instance, Seen, State, Timing, step
from ioc57.alerts.tables import instances

from ..support.alerts import SERIES, T0, evaluate, put, stored_rule

durations = st.sampled_from([0, 30, 60, 300, 600])
# (seconds since the last evaluation, what it saw)
observations = st.lists(
    st.tuples(st.integers(0, 400), st.sampled_from(list(Seen))), min_size=1, max_size=40
)


@settings(max_examples=300, deadline=None)
@given(for_s=durations, keep_s=durations, seq=observations)
def test_machine_invariants(for_s, keep_s, seq):
    timing = Timing(for_s, keep_s)
    inst, now = Instance(), T0
    run_start = None  # the first of the current run of true observations
    for gap, seen in seq:
        now += timedelta(seconds=gap)
        run_start = (run_start or now) if seen is Seen.TRUE else None
        new = step(inst, timing, now, seen)
        # the same observation twice at the same time changes nothing
        assert step(new, timing, now, seen) == new
        if new.state is State.FIRING and inst.state is not State.FIRING:
            # firing only after ``for`` of continuous truth
            assert seen is Seen.TRUE and now - run_start >= timedelta(seconds=for_s)
            assert new.started_at == now and new.active_at == run_start
        if new.state is State.RESOLVED and inst.state is not State.RESOLVED:
            # resolved only from firing, and only once keep_firing_for has passed
            assert inst.state is State.FIRING and seen is Seen.FALSE
            assert now - inst.last_true_at >= timedelta(seconds=keep_s)
        if inst.state is State.FIRING and seen is Seen.FALSE:
            kept = now - inst.last_true_at < timedelta(seconds=keep_s)
            assert (new.state is State.FIRING) == kept
        if new.state is State.FIRING:
            assert new.active_at is not None and new.started_at is not None
            assert new.active_at <= new.started_at <= now
            assert new.last_true_at is not None and new.last_true_at <= now
        elif new.state is State.PENDING:
            assert new.active_at == run_start
            assert now - new.active_at < timedelta(seconds=for_s)
        else:
            assert new.active_at is None
        if new.state is not inst.state:
            assert new.state_since == now
        assert new.state_since is None or new.state_since <= now
        inst = new


names = itertools.count()
values = st.one_of(st.none(), st.floats(0, 3, allow_nan=False).map(lambda v: round(v, 1)))
readings = st.lists(st.tuples(st.integers(0, 900), values), min_size=1, max_size=10)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(for_s=durations, keep_s=durations, seq=readings)
def test_stored_evaluation_is_the_machine_folded(alerts_app, make_rule, for_s, keep_s, seq):
    """Evaluated against the database, step by step, one series moves through the states the
    pure machine gives; each evaluation repeated at the same time changes nothing."""
    name = f"prop-{next(names)}"
    make_rule(name, **{"for": for_s, "keep_firing_for": keep_s, "nodata_after": "10m"})
    rule = stored_rule(alerts_app, name)
    expected, now = Instance(), T0
    put(name, "S", 0.0, at=T0)
    for gap, value in seq:
        now += timedelta(seconds=gap)
        if value is not None:  # a new reading; None: nothing new arrived (it may go stale)
            put(name, "S", value, at=now)
        changes = evaluate(alerts_app, name, now)
        obs = observe(rule, SERIES[name]["S"], now)
        before = expected
        if obs is not None and not (before == Instance() and obs.seen is Seen.FALSE):
            expected = step(expected, Timing(for_s, keep_s), now, obs.seen)
        assert [c.to_state for c in changes] == (
            [expected.state] if expected.state is not before.state else []
        )
        assert evaluate(alerts_app, name, now) == []  # again: nothing changes
        with alerts_app.state.engine.connect() as conn:
            stored = conn.execute(
                select(instances.c.state).where(instances.c.rule_id == rule.id)
            ).scalar_one_or_none()
        assert (stored or "normal") == expected.state.value
