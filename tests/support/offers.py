"""What a module offers the operations centre, read as the centre reads it (``centre.registry``:
the installed modules' manifests) for a person holding a bearer token; and the whole of it as
JSON, to look for what must never show (a citizen's text or contact). ``offers_by_name`` reads
the same for a person named by username."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from ioc57.accounts.service import principal_by_token
from ioc57.centre import registry
from ioc57.core.access import Principal
from ioc57.core.clock import now
from ioc57.modules import Concern


def principal(app, token: str) -> Principal:
    with app.state.engine.connect() as conn:
        found = principal_by_token(conn, token)
    assert found is not None
    return found


def read_concerns(app, who: Principal, at: datetime | None = None) -> list[Concern]:
    """Every concern of the installed modules for ``who``, ranked as the centre ranks them."""
    with app.state.engine.connect() as conn:
        found, failed = registry.concerns(conn, who, at or now(), limit=500)
    assert not failed, failed
    return found


def read_tile(app, who: Principal, name: str, at: datetime | None = None) -> dict[str, Any] | None:
    offered = registry.offered().tile(name)
    assert offered is not None, f"no module offers the tile {name}"
    with app.state.engine.connect() as conn:
        return registry.render_tile(offered, conn, who, at or now())


def read_layer(app, who: Principal, name: str) -> dict[str, Any] | None:
    offered = registry.offered().layer(name)
    assert offered is not None, f"no module offers the layer {name}"
    with app.state.engine.connect() as conn:
        return registry.render_layer(offered, conn, who)


def concerns(app, token: str, module: str, at: datetime | None = None) -> list[Concern]:
    """The concerns of ``module``'s watches for the token's person, ranked as the centre ranks."""
    return [
        c for c in read_concerns(app, principal(app, token), at) if c.key.startswith(f"{module}:")
    ]


def tile(app, token: str, name: str, at: datetime | None = None) -> dict[str, Any] | None:
    return read_tile(app, principal(app, token), name, at)


def layer(app, token: str, name: str) -> dict[str, Any] | None:
    return read_layer(app, principal(app, token), name)


def as_json(value: Any) -> str:
    """Concerns, tiles or layers as the API would carry them."""
    if isinstance(value, list):
        value = [asdict(v) if isinstance(v, Concern) else v for v in value]
    return json.dumps(value, default=str, ensure_ascii=False)


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
