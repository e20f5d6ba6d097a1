"""The scorecard's figures for alert rules, on values reported through the gate: an indicator's
latest value per unit with its target as its own limit (``indicators.value``), and its progress
status as 0 / 1 / 2 (``indicators.status``). Drafts never count."""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from ioc57.core import figures
from ioc57.core.clock import LOCAL_TZ, now

from ..support.alerts import evaluate
from ..support.backends import app_on
from ..support.http import Api, auth
from ..support.indicators import Reporter, obs


@pytest.fixture(scope="module")
def ind_app(module_db_url):
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def ind_client(ind_app):
    with TestClient(ind_app, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def api(ind_app) -> Api:
    return Api(ind_app)


@pytest.fixture(scope="module")
def leader(ind_client, api) -> Reporter:
    return Reporter(ind_client, api.user("lanhdao.fig", "leader"))


def samples(app, name: str, indicator: str) -> dict[str, figures.Sample]:
    with app.state.engine.connect() as conn:
        found = figures.samples(conn, name, {"indicator": indicator})
    assert all(s.labels["indicator"] == indicator for s in found)
    return {s.labels["unit"]: s for s in found}


def test_the_latest_value_of_each_unit_with_its_target_as_its_limit(ind_app, ind_client, leader):
    leader.report(
        obs("online_payment_rate", "82", "2020", value=40),
        obs("online_payment_rate", "82", "2024", value=60),
        obs("online_payment_rate", "28261", "2023", value=70),
    )
    r = ind_client.post(
        "/api/v1/targets",
        json={"indicator": "online_payment_rate", "unit": "82", "year": 2030, "value": 85},
        headers=auth(leader.token),
    )
    assert r.status_code == 201, r.text

    found = samples(ind_app, "indicators.value", "online_payment_rate")
    assert set(found) == {"82", "28261"}
    province, commune = found["82"], found["28261"]
    assert (province.value, province.threshold) == (60, 85)  # the province's own target
    assert (commune.value, commune.threshold) == (70, 80)  # the national target (2030: 80 %)
    assert province.at == datetime(2024, 12, 31, tzinfo=LOCAL_TZ)
    assert province.unit_id != commune.unit_id and None not in (province.unit_id, commune.unit_id)

    # a rule "short of the target" (the series' own threshold) fires for each: 60 < 85, 70 < 80
    rule = {"name": "fig-short-of-target", "title": "Chưa đạt mục tiêu", "op": "<",
            "figure": "indicators.value", "params": {"indicator": "online_payment_rate"}}  # fmt: skip
    admin = auth(Api(ind_app).token("admin"))
    assert ind_client.post("/api/v1/alert-rules", json=rule, headers=admin).status_code == 201
    changes = evaluate(ind_app, "fig-short-of-target", now())
    fired = sorted((c.labels["unit"], c.value, c.to_state.value) for c in changes)
    assert fired == [("28261", 70, "firing"), ("82", 60, "firing")]


def test_the_status_is_0_on_track_1_limited_2_off_track_and_none_without_enough_data(
    ind_app, leader
):
    # against the national target of 80 % in 2030, from 40 % in 2020 (see test_scorecard)
    leader.report(
        obs("digitized_data_reuse_rate", "01", "2020", value=40),
        obs("digitized_data_reuse_rate", "01", "2024", value=60),  # on track
        obs("digitized_data_reuse_rate", "79", "2020", value=40),
        obs("digitized_data_reuse_rate", "79", "2024", value=45),  # limited progress
        obs("digitized_data_reuse_rate", "82", "2020", value=40),
        obs("digitized_data_reuse_rate", "82", "2024", value=30),  # deterioration
        obs("digitized_data_reuse_rate", "28261", "2024", value=50),  # one year only
    )
    found = samples(ind_app, "indicators.status", "digitized_data_reuse_rate")
    levels = {code: s.value for code, s in found.items()}
    assert levels == {"01": 0, "79": 1, "82": 2, "28261": None}
    assert found["82"].threshold is None  # a rule says which level it warns of


def test_a_draft_is_not_watched_until_it_is_approved(ind_app, ind_client, api, leader):
    officer = Reporter(ind_client, api.user("canbo.fig", "officer", unit="82"))
    officer.report(obs("electronic_result_rate", "82", "2025", value=20))
    assert samples(ind_app, "indicators.value", "electronic_result_rate") == {}

    leader.report(obs("electronic_result_rate", "82", "2024", value=35))
    found = samples(ind_app, "indicators.value", "electronic_result_rate")
    assert {code: s.value for code, s in found.items()} == {"82": 35}


def test_an_unknown_indicator_is_an_error_for_the_rule(ind_app):
    with ind_app.state.engine.connect() as conn, pytest.raises(ValueError, match="no indicator"):
        figures.samples(conn, "indicators.value", {"indicator": "no_such_indicator"})


def test_both_figures_are_offered_and_re_evaluated_on_observations():
    for name in ("indicators.value", "indicators.status"):
        offered = figures.figure(name)
        assert offered is not None
        assert offered.record_types == ("observation",) and offered.required == ("indicator",)
