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
