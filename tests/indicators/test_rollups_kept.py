"""The rollups kept as values arrive in batches (a value sent twice in one batch included),
change, are approved and rejected equal the rollups computed afresh from the approved values: a
unit's ``own`` from its values, a unit's ``below`` from the ``own`` rollups of the units under it."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select, text

from ioc57.indicators.catalogue import catalogue
from ioc57.indicators.tables import indicator_rollups, indicator_values
from ioc57.units.tables import units

from ..support.http import auth
from ..support.indicators import Reporter, obs

INDICATORS = ("online_dossiers", "online_dossier_rate", "official_email_rate")
PERIODS = [f"2025{m:02d}" for m in range(7, 13)]
SUMS = ("n", "sum_value", "sum_num", "sum_den", "pct_only", "simulated")
LATEST = ("latest_value", "latest_num", "latest_den")


def _observation(rng: random.Random, indicator: str, unit: str, period: str) -> dict:
    if indicator == "online_dossiers":
        return obs(indicator, unit, period, value=float(rng.randint(0, 500)))
    if rng.random() < 0.3:
        return obs(indicator, unit, period, value=round(rng.uniform(0, 100), 2))
    den = rng.randint(1, 400)
    return obs(indicator, unit, period, numerator=rng.randint(0, den), denominator=den)


def _batch(rng: random.Random, places: list[str], size: int) -> list[dict]:
    keys = [(rng.choice(INDICATORS), rng.choice(places), rng.choice(PERIODS)) for _ in range(size)]
    keys += rng.sample(keys, 5)  # some values sent twice in the same batch
    return [_observation(rng, *key) for key in keys]


def _afresh(conn) -> dict[tuple, dict]:
    """Every rollup, from the approved values and the units' parents alone."""
    parent = dict(conn.execute(select(units.c.id, units.c.parent_id)).all())
    rows = conn.execute(
        select(indicator_values)
        .where(indicator_values.c.status == "approved")
        .order_by(indicator_values.c.period_end)
    ).all()
    own: dict[tuple, dict] = {}
    for r in rows:
        key = (r.indicator, r.unit_id, r.year, "own")
        into = own.setdefault(key, dict.fromkeys(SUMS + LATEST, 0.0))
        pct = r.numerator is None or r.denominator is None
        into["n"] += 1
        into["sum_value"] += r.value or 0.0
        into["sum_num"] += 0.0 if pct else r.numerator
        into["sum_den"] += 0.0 if pct else r.denominator
        into["pct_only"] += pct
        value = r.value
        if value is None:
            factor = catalogue().get(r.indicator).factor or 1
            value = r.numerator / r.denominator * factor
        into |= {"latest_value": value, "latest_num": r.numerator or 0.0}
        into["latest_den"] = r.denominator or 0.0
    found = dict(own)
    for (indicator, unit_id, year, _), figures in own.items():
        above = parent.get(unit_id)
        while above is not None:
            into = found.setdefault(
                (indicator, above, year, "below"), dict.fromkeys(SUMS + LATEST, 0.0)
            )
            for name in SUMS + LATEST:
                into[name] += figures[name]
            above = parent.get(above)
    return found


def _kept(conn) -> dict[tuple, dict]:
    return {
        (r.indicator, r.unit_id, r.year, r.scope): {k: r._mapping[k] for k in SUMS + LATEST}
        for r in conn.execute(select(indicator_rollups))
    }


@pytest.mark.parametrize("seed", [57, 1022])
def test_the_rollups_kept_equal_the_rollups_computed_afresh(client, api, engine, seed):
    rng = random.Random(seed)
    with engine.connect() as conn:
        communes = conn.execute(
            select(units.c.code)
            .where(units.c.province_code == "82", units.c.level == "commune")
            .where(units.c.valid_to.is_(None))
            .order_by(units.c.code)
            .limit(4)
        ).scalars()
        places = ["82", *communes]
    leader = Reporter(client, api.user("lanhdao", "leader"))
    officer = Reporter(client, api.user("canbo.tinh", "officer", unit="82"))
    leader.report(*_batch(rng, places, 40))  # approved at once
    officer.report(*_batch(rng, places, 30))  # submitted: an approved value it changes drops out
    waiting = client.get(
        "/api/v1/observations", params={"status": "submitted"}, headers=auth(leader.token)
    ).json()["items"]
    for item in waiting:
        verb = rng.choice(("approve", "approve", "reject", None))
        if verb:
            r = client.post(
                f"/api/v1/observations/{item['id']}/{verb}", json={}, headers=auth(leader.token)
            )
            assert r.status_code == 200, r.text
    leader.report(*_batch(rng, places, 30))
    with engine.connect() as conn:
        kept, afresh = _kept(conn), _afresh(conn)
    zero = dict.fromkeys(SUMS + LATEST, 0.0)
    assert afresh and any(key[3] == "below" for key in afresh)
    for key in kept.keys() | afresh.keys():
        assert kept.get(key, zero) == pytest.approx(afresh.get(key, zero)), key


def _kept_equal_afresh(engine) -> None:
    with engine.connect() as conn:
        kept, afresh = _kept(conn), _afresh(conn)
    zero = dict.fromkeys(SUMS + LATEST, 0.0)
    for key in kept.keys() | afresh.keys():
        assert kept.get(key, zero) == pytest.approx(afresh.get(key, zero)), key


def test_a_batch_that_approves_the_first_values_of_a_year_rolls_them_up_whole(client, api, engine):
    """The rollups of a year whose own rollup counted nothing before are made from the batch's
    values: a value waiting for review that the batch changes, one rejected before, and the
    year's values sent twice all count as a rebuild counts them."""
    leader = Reporter(client, api.user("lanhdao", "leader"))
    officer = Reporter(client, api.user("canbo.tinh", "officer", unit="82"))
    rate = "online_dossier_rate"
    officer.report(obs(rate, "82", "202507", numerator=3, denominator=4))  # waits for review
    officer.report(obs(rate, "82", "202508", numerator=1, denominator=4))
    waiting = client.get(
        "/api/v1/observations", params={"status": "submitted"}, headers=auth(leader.token)
    ).json()["items"]
    august = next(i["id"] for i in waiting if i["period"] == "202508")
    for verb in ("approve", "reject"):  # counted, then not: its own rollup counts none
        r = client.post(
            f"/api/v1/observations/{august}/{verb}", json={}, headers=auth(leader.token)
        )
        assert r.status_code == 200, r.text
    with engine.connect() as conn:
        before = [v["n"] for k, v in _kept(conn).items() if k[0] == rate and k[3] == "own"]
    assert before == [0]  # kept, counting nothing
    leader.report(
        obs(rate, "82", "202509", value=40.0),
        obs(rate, "82", "202507", numerator=2, denominator=4),  # the waiting one, changed
        obs(rate, "82", "202510", numerator=5, denominator=10),
        obs(rate, "82", "202509", numerator=9, denominator=10),  # sent twice: the last counts
    )
    _kept_equal_afresh(engine)
    with engine.connect() as conn:
        own = [v for k, v in _kept(conn).items() if k[0] == rate and k[3] == "own"]
    assert [(o["n"], o["sum_num"], o["sum_den"], o["pct_only"]) for o in own] == [
        (3, 16.0, 24.0, 0)
    ]
    assert own[0]["latest_num"] == 5.0 and own[0]["latest_den"] == 10.0


def test_reported_values_add_no_cell_to_the_gate_s_rollups(client, api, engine):
    """The scorecard keeps its own rollups; the gate's cells would be a copy nothing reads."""
    leader = Reporter(client, api.user("lanhdao", "leader"))
    leader.report(obs("online_dossiers", "82", "202509", value=12.0))
    with engine.connect() as conn:
        cells = conn.execute(
            text("SELECT count(*) FROM rollups WHERE metric LIKE 'observation.%'")
        ).scalar_one()
        own = conn.execute(select(indicator_rollups.c.n)).scalars().all()
    assert cells == 0 and 1 in own
