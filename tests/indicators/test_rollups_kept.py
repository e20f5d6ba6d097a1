"""The rollups kept as values arrive in batches (a value sent twice in one batch included),
change, are approved and rejected equal the rollups computed afresh from the approved values: a
unit's ``own`` from its values, a unit's ``below`` from the ``own`` rollups of the units under it."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

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
