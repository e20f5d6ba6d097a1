"""Reading what a module offers the operations centre (its tiles, watches and layers) as a person
would see it: the centre's registry, with the person's principal read from the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from ioc57.accounts.tables import users
from ioc57.centre import registry
from ioc57.core.access import Principal
from ioc57.core.clock import now as clock_now
from ioc57.core.refs import resolve
from ioc57.units.tables import units


def principal(app, username: str) -> Principal:
    query = (
        select(users.c.id, users.c.username, users.c.role, users.c.unit_id, units.c.code)
        .outerjoin(units, units.c.id == users.c.unit_id)
        .where(users.c.username == username)
    )
    with app.state.engine.connect() as conn:
        row = conn.execute(query).one()
    return Principal(row.id, row.username, row.role, row.unit_id, row.code, "session")


def tile(app, name: str, username: str = "admin", at: datetime | None = None) -> dict | None:
    offered = registry.offered().tile(name)
    assert offered is not None, f"no module offers the tile {name}"
    with app.state.engine.connect() as conn:
        return registry.render_tile(offered, conn, principal(app, username), at or clock_now())


def layer(app, name: str, username: str = "admin") -> dict | None:
    offered = registry.offered().layer(name)
    assert offered is not None, f"no module offers the layer {name}"
    with app.state.engine.connect() as conn:
        return registry.render_layer(offered, conn, principal(app, username))


def concerns(app, prefix: str, username: str = "admin", at: datetime | None = None) -> list[Any]:
    """The concerns whose key starts with ``prefix`` ("ingest:quiet:"), as the watches give them."""
    found = []
    with app.state.engine.connect() as conn:
        for watch in registry.offered().watches:
            found += resolve(watch.find)(conn, principal(app, username), at or clock_now(), 50)
    return [c for c in found if c.key.startswith(prefix)]


class Published:
    """The event specs (``ingest.batch:<record_type>`` and plain types) the app's bus publishes
    from now on: what a tile's, layer's or watch's ``events`` must name to be read again."""

    def __init__(self, app) -> None:
        self.specs: set[str] = set()
        app.state.bus.subscribe("*", self._note)

    def _note(self, event) -> None:
        self.specs.add(event.type)
        if event.type == "ingest.batch":
            self.specs.add(f"ingest.batch:{event.data['record_type']}")


def events_of(name: str) -> set[str]:
    """The event specs after which the tile, layer or watch (its ``find``'s name) is read again."""
    offered = registry.offered()
    found = offered.tile(name) or offered.layer(name)
    if found is not None:
        return set(found.events)
    return {e for w in offered.watches if str(w.find).endswith(name) for e in w.events}
