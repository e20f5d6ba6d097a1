"""What the citizen reports offer the operations centre, read through the registry as the centre
reads it: the reports past deadline as concerns (each when an agency has few, one per agency when
many), the open and on-time tiles, and the map layer of open reports — scoped, and never with a
citizen's words, address or contact."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ioc57.centre import registry
from ioc57.core.clock import now, today
from ioc57.feedback.centre import late_since

from ..support import offers
from .test_life import step

MANY, FEW = "CO-MANY82", "CO-FEW82"
MARK = "ZZMARK91"  # in every report's words, address and contact: it must never show
PLACE = (10.4567891, 105.6345678)


def _agency(feedback, code: str, name: str) -> None:
    body = {"code": code, "name": name, "parent": "82", "type": "sở"}
    r = feedback.client.post("/api/v1/units", json=body, headers=feedback.admin)
    assert r.status_code == 201, r.text


def _new(feedback, commune: int, days_ago: float = 0, **fields):
    marked = {
        "text": f"Đường hỏng trước nhà {MARK}",
        "address": f"Số 5 ấp {MARK}",
        "contact": {"name": f"Trần {MARK}", "phone": "0909991177", "email": f"{MARK}@ex.vn"},
        "lat": PLACE[0],
        "lon": PLACE[1],
    }
    if days_ago:
        marked["received_at"] = (now() - timedelta(days=days_ago)).isoformat()
    return feedback.new(commune, **(marked | fields))


@pytest.fixture(scope="module")
def late(feedback, api):
    """Five reports forwarded to one agency long ago, one to another, one never forwarded (all
    past their deadline), one just received; an officer of the second agency."""
    _agency(feedback, MANY, "Sở Giao thông thử")
    _agency(feedback, FEW, "Sở Y tế thử")
    api.user("co-officer", "officer", unit=FEW)
    many = [_new(feedback, i % 3, days_ago=40 + i) for i in range(5)]
    for row in many:
        step(feedback, row.record_id, step="forward", agency=MANY)
    few = _new(feedback, 1, days_ago=30, category="giao-thong")
    step(feedback, few.record_id, step="forward", agency=FEW)
    waiting = _new(feedback, 2, days_ago=20)
    fresh = _new(feedback, 0)
    return {
        "many": [feedback.row(r.record_id) for r in many],
        "few": feedback.row(few.record_id),
        "waiting": feedback.row(waiting.record_id),
        "fresh": fresh,
    }


def _clean(value) -> None:
    text = offers.as_json(value)
    assert MARK not in text and "0909991177" not in text and "Đường hỏng" not in text


def test_reports_past_deadline_are_concerns_without_personal_data(feedback, api, late):
    found = {c.key: c for c in offers.concerns(feedback.api.app, api.token("admin"), "feedback")}
    few, waiting = late["few"], late["waiting"]
    agency_id = late["many"][0].agency_id
    assert set(found) == {
        f"feedback:late-agency:{agency_id}",
        f"feedback:late:{few.record_id}",
        f"feedback:late:{waiting.record_id}",
    }
    grouped = found[f"feedback:late-agency:{agency_id}"]
    oldest = min(r.due_on for r in late["many"])
    assert grouped.args == {"count": 5, "days": (today() - oldest).days}
    assert grouped.since == late_since(oldest) and grouped.owner == "Sở Giao thông thử"
    assert grouped.href == f"/feedback?agency={MANY}&flag=late" and grouped.severity == 2
    one = found[f"feedback:late:{few.record_id}"]
    assert one.title.startswith("Giao thông — ") and one.owner == "Sở Y tế thử"
    assert one.since == late_since(few.due_on) and one.since < now()
    assert one.href == f"/feedback/{few.record_id}" and one.args["days"] >= 1
    assert one.why.format(**one.args).startswith("Not answered")
    unforwarded = found[f"feedback:late:{waiting.record_id}"]
    assert unforwarded.owner is None and unforwarded.why.startswith("Not taken up")
    _clean(list(found.values()))
    watch = next(w for w in registry.offered().watches if "feedback" in str(w.find))
    assert watch.events == ("feedback.deadline", "ingest.batch:feedback")


def test_an_agencys_officer_sees_its_own_late_reports_only(feedback, api, late):
    token = api.tokens["co-officer"]
    found = offers.concerns(feedback.api.app, token, "feedback")
    assert [c.key for c in found] == [f"feedback:late:{late['few'].record_id}"]
    tile = offers.tile(feedback.api.app, token, "feedback.open")
    assert tile is not None and tile["value"] == 1 and tile["rows"][0]["value"] == 1
    layer = offers.layer(feedback.api.app, token, "feedback.open")
    assert layer is not None and len(layer["points"]) == 1


def test_the_open_tile_counts_after_each_push(feedback, api, late):
    app, admin = feedback.api.app, api.token("admin")
    tile = offers.tile(app, admin, "feedback.open")
    assert tile is not None
    assert tile["value"] == 8 and tile["status"] == "bad" and tile["good"] == "down"
    assert tile["rows"][0]["label"] == "Past deadline now" and tile["rows"][0]["value"] == 7
    _new(feedback, 1)
    after = offers.tile(app, admin, "feedback.open")
    assert after is not None and after["value"] == 9 and after["rows"][0]["value"] == 7
    assert after["updated_at"] >= tile["updated_at"]
    _clean([tile, after])


def test_the_on_time_tile_reads_this_months_answers(feedback, api, late):
    app, admin = feedback.api.app, api.token("admin")
    before = offers.tile(app, admin, "feedback.on_time")
    assert before is not None and before["uom"] == "percent" and before["good"] == "up"
    answered = before["rows"][0]["value"]
    # answered a second after it came in: on time
    row = _new(feedback, 0)
    step(feedback, row.record_id, step="forward", agency=FEW)
    step(feedback, row.record_id, step="answer", answer=f"Đã sửa {MARK}")
    tile = offers.tile(app, admin, "feedback.on_time")
    assert tile is not None and tile["rows"][0]["value"] == answered + 1
    assert tile["value"] is not None and tile["value"] > 0
    assert tile["trend"][-1][0] == today().replace(day=1).isoformat()
    _clean(tile)
    # the agency's officer: the answers of its agency this month (the only one, on time)
    mine = offers.tile(app, api.tokens["co-officer"], "feedback.on_time")
    assert mine is not None and mine["rows"][0]["value"] == 1 and mine["value"] == 100.0
    assert mine["unit"] == "Sở Y tế thử" and mine["href"] == f"/feedback/panel?unit={FEW}"


def test_the_layer_places_open_reports_rounded_by_their_deadline(feedback, api, late):
    layer = offers.layer(feedback.api.app, api.token("admin"), "feedback.open")
    assert layer is not None
    points = {p["href"]: p for p in layer["points"]}
    few = points[f"/feedback/{late['few'].record_id}"]
    assert (few["lat"], few["lon"]) == (10.457, 105.635)
    assert few["level"] == "bad" and few["label"].startswith("Giao thông")
    fresh = points[f"/feedback/{late['fresh'].record_id}"]
    assert fresh["level"] in ("ok", "watch")
    assert all(p["level"] in ("ok", "watch", "bad") for p in layer["points"])
    assert [level for level, _ in layer["legend"]] == ["bad", "watch", "ok"]
    _clean(layer)
    assert str(PLACE[0]) not in offers.as_json(layer)
