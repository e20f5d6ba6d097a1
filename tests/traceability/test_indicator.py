"""The scorecard reads ``products_with_traceability``, computed from the events: the products of a
province with a lot named by an event by the year's end, counted once however many lots and
events; it is in the catalogue and nobody can report it."""

from __future__ import annotations

from ioc57.core.clock import today

from ..support.http import auth
from ..support.indicators import card, obs
from ..support.trace import GTIN_PASTE, PROVINCE, harvest

CODE = "products_with_traceability"


def test_the_products_traced_by_each_year_end(trace_client, tracer):
    year = today().year
    # nothing traced yet: no value
    assert card(trace_client, PROVINCE, year, CODE)["value"] is None
    farm = tracer.communes[0]
    tracer.push("trace_lot", [{"gtin": GTIN_PASTE, "lot": "P9", "unit": farm}])
    # the durian: two lots, three events (one the year before); the paste: one event this year
    tracer.events(
        harvest(lot="L1", eventTime=f"{year - 1}-07-15T06:30:00+07:00"),
        harvest(lot="L1", eventTime=f"{year}-01-02T06:30:00+07:00", action="OBSERVE"),
        harvest(lot="L2", eventTime=f"{year}-01-03T06:30:00+07:00"),
        harvest(GTIN_PASTE, "P9", eventTime=f"{year}-01-04T06:30:00+07:00"),
    )
    item = card(trace_client, PROVINCE, year, CODE)
    assert item["value"] == 2 and not item["simulated"]
    assert card(trace_client, PROVINCE, year - 1, CODE)["value"] == 1
    assert card(trace_client, PROVINCE, year - 2, CODE)["value"] is None
    # a commune's: the products registered to it (the paste's lot was made in the farm's)
    farm, packing = tracer.communes
    assert card(trace_client, farm, year, CODE)["value"] == 1  # the durian
    assert card(trace_client, packing, year, CODE)["value"] == 1  # the paste
    assert card(trace_client, packing, year - 1, CODE)["value"] is None


def test_it_is_in_the_catalogue_and_cannot_be_reported(trace_client, tracer):
    described = trace_client.get(f"/api/v1/indicators/{CODE}").json()
    assert (described["source"], described["kind"], described["aggregation"]) == (
        "computed",
        "count",
        "sum",
    )
    assert described["unit_of_measure"] == "sản phẩm" and "20 sản phẩm" in described["description"]
    admin = auth(tracer.api.token("admin"))
    r = trace_client.post(
        "/api/v1/observations", json=[obs(CODE, PROVINCE, "2026", value=9)], headers=admin
    )
    assert r.status_code == 200, r.text
    [rejected] = r.json()["rejected"]
    assert "indicator" in str(rejected)
