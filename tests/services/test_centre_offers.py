"""What the public-services module offers the operations centre, from dossiers sent through the
gate: the late and due-soon dossiers among the ranked concerns (with the 766 points at stake),
the tiles of dossiers received today and settled on time this month, and the on-time map layer,
each within the reader's scope."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ioc57.accounts.service import principal_by_token
from ioc57.centre import registry
from ioc57.core.clock import LOCAL_TZ, now
from ioc57.units.tables import units

from ..ingest.records import DVC, dossier
from ..support.http import auth
from ..support.ingest import Pusher
from ..support.services import AGENCY

COMMUNE, OTHER = "28261", "28249"  # Phường Mỹ Tho, Phường Đạo Thạnh (province 82)


def iso(at: datetime) -> str:
    return at.astimezone(LOCAL_TZ).isoformat()


def hs(n: int, received: datetime, due: datetime, **changes) -> dict:
    """Dossier HS-n received at ``received`` and due at ``due``, being processed."""
    return dossier(
        n,
        received_at=iso(received),
        due_at=iso(due),
        updated_at=iso(received),
        status="processing",
        **changes,
    )


def done(n: int, on_time: bool, unit: str = COMMUNE, **changes) -> dict:
    """Dossier HS-n finished a second ago, on time or a minute past its due time."""
    finished = now() - timedelta(seconds=1)
    received = finished - timedelta(seconds=1)
    due = finished + timedelta(days=1) if on_time else finished - timedelta(microseconds=1)
    return dossier(
        n,
        unit=unit,
        received_at=iso(received),
        due_at=iso(max(due, received)),
        finished_at=iso(finished),
        updated_at=iso(finished),
        status="finished",
        **changes,
    )


def person(app, client, api, username: str, role: str = "officer", unit: str | None = None):
    token = api.token("admin") if username == "admin" else api.user(username, role, unit=unit)
    with app.state.engine.connect() as conn:
        return principal_by_token(conn, token)


def ranked(app, principal) -> list:
    with app.state.engine.connect() as conn:
        found, failed = registry.concerns(conn, principal, now(), 50)
    assert failed == []
    return [c for c in found if c.key.startswith("services:")]


def tile(app, principal, name: str) -> dict:
    offered = registry.offered().tile(name)
    assert offered is not None and "ingest.batch:dossier" in offered.events
    with app.state.engine.connect() as conn:
        out = registry.render_tile(offered, conn, principal, now())
    assert out is not None
    return out


def index_total(client, api, unit: str) -> float:
    month = now().astimezone(LOCAL_TZ).strftime("%Y%m")
    r = client.get(
        "/api/v1/services/index",
        params={"unit": unit, "period": month},
        headers=auth(api.token("admin")),
    )
    assert r.status_code == 200, r.text
    return r.json()["total"]


def test_dossiers_due_tomorrow_are_a_concern_with_the_points_at_stake(app, client, api, dvc):
    at = now()
    received, due = at - timedelta(days=3), at + timedelta(days=1)
    soon = [hs(n, received, due, agency=AGENCY) for n in (1, 2)]
    dvc.push("dossier", [done(10, True, unit=OTHER), *soon])
    admin = person(app, client, api, "admin")
    officer = person(app, client, api, "canbo.myt", unit=COMMUNE)
    [concern] = ranked(app, admin)
    assert concern.key == f"services:due_soon:{AGENCY}"
    assert concern.owner == concern.title == "Sở Tư pháp"
    assert concern.unit_code == AGENCY
    assert concern.args == {"count": 2, "points": concern.points}
    assert concern.href == f"/services/dossiers?unit={AGENCY}&state=due_soon"
    assert concern.since <= at and concern.since.tzinfo is not None
    assert concern.simulated is False
    assert concern.severity == (2 if concern.points >= 1.0 else 1)
    [commune] = ranked(app, officer)
    assert commune.key == concern.key and commune.args["count"] == 2
    # the points are what the reader's index loses if both finish late rather than on time: the
    # province's for a person without a unit, the commune's for its officer
    finished = {"status": "finished", "finished_at": iso(at), "updated_at": iso(at)}
    dvc.push("dossier", [d | finished for d in soon])
    on_time = index_total(client, api, "82"), index_total(client, api, COMMUNE)
    late = finished | {"supplement_requests": 2, "updated_at": iso(now())}
    dvc.push("dossier", [d | late for d in soon])
    lost = index_total(client, api, "82"), index_total(client, api, COMMUNE)
    assert abs(concern.points - (on_time[0] - lost[0])) <= 0.011
    assert abs(commune.points - (on_time[1] - lost[1])) <= 0.011
    assert commune.points > concern.points > 0
    # once finished, they leave the list
    assert ranked(app, admin) == ranked(app, officer) == []


def test_a_freshly_late_dossier_ranks_above_an_older_late_one(app, client, api, dvc):
    at = now()
    midnight = datetime.combine(at.astimezone(LOCAL_TZ).date(), datetime.min.time(), LOCAL_TZ)
    # late since a minute ago (or half the time since midnight, just after it)
    fresh_due = max(at - timedelta(minutes=1), midnight + (at - midnight) / 2)
    old_due = at - timedelta(days=5)
    dvc.push(
        "dossier",
        [
            hs(1, old_due - timedelta(days=1), old_due),  # the commune's own, no agency
            hs(2, at - timedelta(days=6), fresh_due, agency=AGENCY),
            hs(3, old_due - timedelta(days=2), old_due + timedelta(hours=1)),
        ],
    )
    found = ranked(app, person(app, client, api, "admin"))
    assert [c.key for c in found] == [f"services:late_today:{AGENCY}", f"services:late:{COMMUNE}"]
    fresh, old = found
    assert fresh.severity == old.severity == 2
    assert fresh.since == fresh_due and fresh.args == {"count": 1}
    assert old.since == old_due and old.args["count"] == 2
    assert old.owner == "Phường Mỹ Tho" and old.points is None
    assert old.href == f"/services/dossiers?unit={COMMUNE}&state=overdue"


def test_a_communes_officer_sees_its_own_dossiers_only(app, client, api, dvc):
    at = now()
    dvc.push("dossier", [hs(1, at - timedelta(days=8), at - timedelta(days=2))])
    own = person(app, client, api, "canbo.myt", unit=COMMUNE)
    other = person(app, client, api, "canbo.cl", unit=OTHER)
    province = person(app, client, api, "canbo.tinh", unit="82")
    agency = person(app, client, api, "canbo.stp", unit=AGENCY)
    assert [c.key for c in ranked(app, own)] == [f"services:late:{COMMUNE}"]
    assert [c.key for c in ranked(app, province)] == [f"services:late:{COMMUNE}"]
    assert ranked(app, other) == []
    assert ranked(app, agency) == []
    # the agency's officer sees the dossiers its agency handles
    dvc.push("dossier", [hs(2, at - timedelta(days=8), at - timedelta(days=2), agency=AGENCY)])
    assert [c.key for c in ranked(app, agency)] == [f"services:late:{AGENCY}"]
    assert ranked(app, other) == []


def test_many_units_late_are_grouped_beyond_the_first_five(app, client, api, dvc):
    at = now()
    communes = sorted(
        r["code"]
        for r in client.get(
            "/api/v1/units",
            params={"parent": "82", "level": "commune", "limit": 8},
            headers=auth(api.token("admin")),
        ).json()["items"]
    )
    assert len(communes) == 8
    due = at - timedelta(days=3)
    dvc.push(
        "dossier",
        [hs(n, due - timedelta(days=1), due, unit=code) for n, code in enumerate(communes)],
    )
    found = ranked(app, person(app, client, api, "admin"))
    assert len(found) == 6
    assert found[-1].key == "services:late:others:*"
    assert found[-1].args == {"count": 3, "owners": 3, "day": found[-1].args["day"]}
    assert sum(c.args["count"] for c in found) == 8


def test_the_tiles_count_what_was_pushed_today(app, client, api, dvc):
    first = now() - timedelta(seconds=1)
    dvc.push(
        "dossier",
        [
            hs(1, first, first + timedelta(days=5)),
            hs(2, first, first + timedelta(days=5), unit=OTHER),
        ],
    )
    admin = person(app, client, api, "admin")
    received = tile(app, admin, "services.received")
    today = first.astimezone(LOCAL_TZ).date().isoformat()
    assert received["value"] == 2 and received["trend"][-1] == [today, 2]
    assert len(received["trend"]) == 30 and received["delta"] == 2
    assert received["uom"] == "count" and received["simulated"] is False
    assert received["updated_at"] >= first and received["source"]
    officer = person(app, client, api, "canbo.cl", unit=OTHER)
    assert tile(app, officer, "services.received")["value"] == 1
    # settled on time this month: three of four
    dvc.push("dossier", [done(3, True), done(4, True), done(5, True), done(6, False)])
    on_time = tile(app, admin, "services.on_time")
    assert on_time["value"] == 75.0 and on_time["status"] == "watch"
    assert on_time["good"] == "up" and on_time["uom"] == "percent"
    assert on_time["trend"][-1] == [today, 75.0]
    assert tile(app, officer, "services.on_time")["value"] is None
    # the index is the services page's
    index = tile(app, person(app, client, api, "canbo.tinh", unit="82"), "services.index766")
    month = first.astimezone(LOCAL_TZ).strftime("%Y%m")
    r = client.get(
        "/api/v1/services/index",
        params={"unit": "82", "period": month},
        headers=auth(api.token("admin")),
    )
    assert index["value"] == r.json()["total"] and index["uom"] == "points"
    assert index["trend"][-1][1] == index["value"]


def test_the_on_time_layer_puts_each_commune_at_its_place(app, client, api, dvc):
    dvc.push(
        "dossier",
        [done(1, True), done(2, True), done(3, True), done(4, False), done(5, True, unit=OTHER)],
    )
    layer = registry.offered().layer("services.on_time")
    assert layer is not None and layer.events == ("ingest.batch:dossier",)
    with app.state.engine.connect() as conn:
        places = {
            r.code: (r.lat, r.lon)
            for r in conn.execute(
                select(units.c.code, units.c.lat, units.c.lon).where(
                    units.c.code.in_([COMMUNE, OTHER]), units.c.valid_to.is_(None)
                )
            )
        }
        admin = person(app, client, api, "admin")
        out = registry.render_layer(layer, conn, admin)
        assert out is not None
        points = {p["label"]: p for p in out["points"]}
        assert set(points) == {"Phường Mỹ Tho", "Phường Đạo Thạnh"}
        mytho, caolanh = points["Phường Mỹ Tho"], points["Phường Đạo Thạnh"]
        assert (mytho["lat"], mytho["lon"]) == places[COMMUNE]
        assert (mytho["value"], mytho["rate"], mytho["level"]) == (4, 75.0, "watch")
        assert (caolanh["lat"], caolanh["lon"]) == places[OTHER]
        assert (caolanh["value"], caolanh["level"]) == (1, "ok")
        assert {level for level, _ in out["legend"]} == {"ok", "watch", "bad"}
        officer = person(app, client, api, "canbo.cl", unit=OTHER)
        mine = registry.render_layer(layer, conn, officer)
        assert mine is not None
        assert [p["label"] for p in mine["points"]] == ["Phường Đạo Thạnh"]


def test_a_simulated_source_s_dossiers_are_labelled(app, client, api):
    spec = DVC | {"name": "dvc-mo-phong", "simulated": True}
    source = Pusher(client, api, spec)
    at = now()
    source.push("dossier", [hs(1, at - timedelta(days=3), at + timedelta(days=1))])
    admin = person(app, client, api, "admin")
    [concern] = ranked(app, admin)
    assert concern.simulated is True
    assert tile(app, admin, "services.received")["simulated"] is True
