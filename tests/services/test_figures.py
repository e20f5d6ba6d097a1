"""The public services' figures for alert rules, on dossiers sent through the gate: the Decision
766 index per unit, as the index API gives it (``services.index766``), and the open dossiers past
their due time per unit or agency (``services.overdue_dossiers``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from ioc57.core import figures
from ioc57.core.clock import LOCAL_TZ, now

from ..ingest.records import DVC, dossier
from ..support import index766
from ..support.backends import app_on
from ..support.http import Api, auth
from ..support.ingest import Pusher
from ..support.services import AGENCY


@pytest.fixture(scope="module")
def svc_app(module_db_url):
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def svc_client(svc_app):
    with TestClient(svc_app, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def api(svc_app) -> Api:
    return Api(svc_app)


@pytest.fixture(scope="module")
def dvc(svc_client, api) -> Pusher:
    body = {"code": AGENCY, "name": "Sở Tư pháp", "parent": "82", "type": "sở"}
    r = svc_client.post("/api/v1/units", json=body, headers=auth(api.token("admin")))
    assert r.status_code == 201, r.text
    return Pusher(svc_client, api, DVC)


@pytest.fixture(scope="module")
def lgsp(svc_client, api) -> Pusher:
    """The hand-computed 766 fixture (``tests/support/index766.py``) sent through the gate."""
    source = Pusher(svc_client, api, index766.SPEC)
    source.push("procedure", index766.PROCEDURES)
    source.push("dossier", index766.DOSSIERS)
    source.push("feedback", index766.REPORTS)
    return source


def samples(app, name: str, **params) -> dict[str, figures.Sample]:
    with app.state.engine.connect() as conn:
        found = figures.samples(conn, name, params)
    return {next(iter(s.labels.values())): s for s in found}


def index_total(client, api, unit: str, period: str) -> float | None:
    r = client.get(
        "/api/v1/services/index",
        params={"unit": unit, "period": period},
        headers=auth(api.token("admin")),
    )
    assert r.status_code == 200, r.text
    return r.json()["total"]


def test_the_index_of_each_unit_is_the_index_apis(svc_app, svc_client, api, lgsp):
    communes = samples(
        svc_app, "services.index766", level="commune", province="82", period="202509"
    )
    served = communes.pop("28261")
    assert served.value == index_total(svc_client, api, "28261", "202509") == 46.42
    assert served.labels == {"unit": "28261", "level": "commune"}
    # a commune that received and finished nothing in the month has no score to watch
    assert communes and {s.value for s in communes.values()} == {None}

    provinces = samples(svc_app, "services.index766", period="202509")
    assert len(provinces) == 34
    assert provinces["82"].value == index_total(svc_client, api, "82", "202509")
    assert provinces["82"].value is not None and provinces["01"].value is None


def test_an_indicator_computed_from_the_dossiers_is_watched_per_province(svc_app, svc_client, lgsp):
    # D1 and D5 of the four dossiers finished in September 2025 were on time
    with svc_app.state.engine.connect() as conn:
        found = figures.samples(
            conn, "indicators.value", {"indicator": "dossiers_on_time_share_live"}
        )
    by_unit = {s.labels["unit"]: s for s in found}
    assert set(by_unit) == {"82"}
    r = svc_client.get("/api/v1/scorecard", params={"unit": "82", "year": 2025})
    card = next(i for i in r.json()["items"] if i["indicator"] == "dossiers_on_time_share_live")
    assert by_unit["82"].value == card["value"] == 50


def test_a_bad_level_is_an_error_for_the_rule(svc_app):
    with svc_app.state.engine.connect() as conn, pytest.raises(ValueError, match="level"):
        figures.samples(conn, "services.index766", {"level": "hamlet"})


def recent(n: int, unit: str, due_in: timedelta, **changes) -> dict:
    """Dossier FIG-n received ten days ago at ``unit``, due ``due_in`` from now."""
    received = (now() - timedelta(days=10)).astimezone(LOCAL_TZ).replace(microsecond=0)
    due = (now() + due_in).astimezone(LOCAL_TZ).replace(microsecond=0)
    return dossier(
        n,
        id=f"FIG-{n}",
        unit=unit,
        received_at=received.isoformat(),
        due_at=due.isoformat(),
        updated_at=received.isoformat(),
        **changes,
    )


def test_overdue_dossiers_are_counted_per_unit_and_per_agency(svc_app, dvc):
    late, soon = timedelta(days=-1), timedelta(days=5)
    dvc.push(
        "dossier",
        [
            recent(1, "28249", late),
            recent(2, "28249", late),
            recent(3, "28249", soon),
            recent(4, "28273", soon),  # open, none overdue: counted as 0
            recent(5, "28273", late, agency=AGENCY),
            recent(6, "28270", late, status="finished", finished_at=now().isoformat()),
        ],
    )
    by_unit = samples(svc_app, "services.overdue_dossiers")
    assert by_unit["28249"].value == 2 and by_unit["28273"].value == 1
    assert "28270" not in by_unit  # finished: not open
    assert by_unit["28249"].labels == {"unit": "28249"} and by_unit["28249"].unit_id is not None
    by_agency = samples(svc_app, "services.overdue_dossiers", by="agency")
    assert by_agency[AGENCY].value == 1 and by_agency[AGENCY].labels == {"agency": AGENCY}

    # one of them finishes: the count drops on the next evaluation
    finished = recent(1, "28249", late, status="finished", finished_at=now().isoformat())
    dvc.push("dossier", [finished | {"updated_at": now().isoformat()}])
    assert samples(svc_app, "services.overdue_dossiers")["28249"].value == 1


def test_both_figures_are_offered_and_re_evaluated_on_dossiers():
    index = figures.figure("services.index766")
    overdue = figures.figure("services.overdue_dossiers")
    assert index is not None and "dossier" in index.record_types
    assert overdue is not None and overdue.record_types == ("dossier",)
    assert overdue.uom == "count" and set(overdue.params) == {"by"}
