"""What a module offers the operations centre, read as the centre reads it (``centre.registry``:
the installed modules' manifests) for a person holding a bearer token; and the whole of it as
JSON, to look for what must never show (a citizen's text or contact)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from ioc57.accounts.service import principal_by_token
from ioc57.centre import registry
from ioc57.core.clock import now
from ioc57.modules import Concern


def principal(app, token: str):
    with app.state.engine.connect() as conn:
        found = principal_by_token(conn, token)
    assert found is not None
    return found


def concerns(app, token: str, module: str, at: datetime | None = None) -> list[Concern]:
    """The concerns of ``module``'s watches for the token's person, ranked as the centre ranks."""
    who = principal(app, token)
    when = at or now()
    with app.state.engine.connect() as conn:
        found, failed = registry.concerns(conn, who, when, limit=500)
    assert not failed, failed
    return [c for c in found if c.key.startswith(f"{module}:")]


def tile(app, token: str, name: str, at: datetime | None = None) -> dict[str, Any] | None:
    offered = registry.offered().tile(name)
    assert offered is not None, name
    with app.state.engine.connect() as conn:
        return registry.render_tile(offered, conn, principal(app, token), at or now())


def layer(app, token: str, name: str) -> dict[str, Any] | None:
    offered = registry.offered().layer(name)
    assert offered is not None, name
    with app.state.engine.connect() as conn:
        return registry.render_layer(offered, conn, principal(app, token))


def as_json(value: Any) -> str:
    """Concerns, tiles or layers as the API would carry them."""
    if isinstance(value, list):
        value = [asdict(v) if isinstance(v, Concern) else v for v in value]
    return json.dumps(value, default=str, ensure_ascii=False)
