"""Silences and inhibition rules as people write them: create a silence (label matchers and a
window, which may start in the future, ahead of planned maintenance), expire it early, list them;
create, update and delete inhibition rules. Every write audited. ``muting`` applies them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.alerts import tables
from ioc57.alerts.matchers import NAME, Matcher
from ioc57.alerts.rules import SLUG
from ioc57.core import audit
from ioc57.core.access import Principal, authorize
from ioc57.core.clock import local_iso, now, stored_utc, to_utc
from ioc57.core.problems import Problem, field_error

RESPOND, CONFIGURE = "alerts.respond", "alerts.configure"
S = tables.silences.c


class MatcherIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(pattern=NAME.pattern)]
    op: Literal["=", "!=", "=~", "!~"] = "="
    value: Annotated[str, Field(max_length=200)] = ""

    @field_validator("value")
    @classmethod
    def _pattern(cls, value: str, info: Any) -> str:
        op = info.data.get("op", "=")
        name = info.data.get("name", "x")
        Matcher(name if NAME.match(name or "") else "x", op, value)  # a bad expression: ValueError
        return value


Matchers = Annotated[list[MatcherIn], Field(max_length=20)]


class SilenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    matchers: Annotated[list[MatcherIn], Field(min_length=1, max_length=20)]
    starts_at: datetime | None = None  # None: now
    ends_at: datetime
    comment: Annotated[str, Field(min_length=1, max_length=1000)]


class InhibitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(pattern=SLUG)]
    source_matchers: Annotated[list[MatcherIn], Field(min_length=1, max_length=20)]
    target_matchers: Annotated[list[MatcherIn], Field(min_length=1, max_length=20)]
    equal: Annotated[list[Annotated[str, Field(pattern=NAME.pattern)]], Field(max_length=20)] = []


def _dump(matchers: list[MatcherIn]) -> str:
    return orjson.dumps([m.model_dump() for m in matchers]).decode()


def silence_view(row: Any, at: datetime | None = None) -> dict[str, Any]:
    at = at or now()
    starts, ends = stored_utc(row.starts_at), stored_utc(row.ends_at)
    state = "pending" if at < starts else "active" if at < ends else "expired"
    return {
        "id": row.id,
        "matchers": orjson.loads(row.matchers),
        "starts_at": local_iso(row.starts_at),
        "ends_at": local_iso(row.ends_at),
        "comment": row.comment,
        "created_by": row.created_by,
        "created_at": local_iso(row.created_at),
        "expired_by": row.expired_by,
        "state": state,
    }


def list_silences(
    conn: Connection, principal: Principal, *, include_expired: bool = False
) -> list[dict[str, Any]]:
    """The silences, those in force or to come first; the expired ones when asked."""
    authorize(principal, "alerts.read")
    at = now()
    query = select(tables.silences).order_by(S.ends_at.desc(), S.id.desc())
    if not include_expired:
        query = query.where(S.ends_at > at)
    return [silence_view(r, at) for r in conn.execute(query.limit(500))]


def create_silence(
    conn: Connection, principal: Principal, silence: SilenceIn, *, address: str | None = None
) -> dict[str, Any]:
    authorize(principal, RESPOND)
    at = now()
    starts = to_utc(silence.starts_at) if silence.starts_at is not None else at
    ends = to_utc(silence.ends_at)
    if ends <= starts:
        raise field_error("ends_at", "must be after starts_at")
    if ends <= at:
        raise field_error("ends_at", "must be in the future")
    new_id = conn.execute(
        insert(tables.silences)
        .values(
            matchers=_dump(silence.matchers),
            starts_at=starts,
            ends_at=ends,
            comment=silence.comment,
            created_by=principal.username,
            created_at=at,
        )
        .returning(S.id)
    ).scalar_one()
    row = conn.execute(select(tables.silences).where(S.id == new_id)).one()
    view = silence_view(row, at)
    audit.record(
        conn,
        actor=principal.username,
        action="alert_silence.create",
        object_type="alert_silence",
        object_id=str(new_id),
        after=view,
        address=address,
    )
    return view


def expire_silence(
    conn: Connection, principal: Principal, silence_id: int, *, address: str | None = None
) -> dict[str, Any]:
    """End a silence now (one still to come ends before it starts)."""
    authorize(principal, RESPOND)
    row = conn.execute(select(tables.silences).where(S.id == silence_id)).first()
    if row is None:
        raise Problem(
            404,
            f"No silence has id {silence_id}.",
            errors=[{"loc": ["path", "silence_id"], "msg": "not found"}],
        )
    at = now()
    before = silence_view(row, at)
    if before["state"] != "expired":
        starts = min(stored_utc(row.starts_at), at)
        conn.execute(
            update(tables.silences)
            .where(S.id == silence_id)
            .values(starts_at=starts, ends_at=at, expired_by=principal.username)
        )
    after = silence_view(conn.execute(select(tables.silences).where(S.id == silence_id)).one(), at)
    audit.record(
        conn,
        actor=principal.username,
        action="alert_silence.expire",
        object_type="alert_silence",
        object_id=str(silence_id),
        before=before,
        after=after,
        address=address,
    )
    return after


def inhibition_view(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "source_matchers": orjson.loads(row.source_matchers),
        "target_matchers": orjson.loads(row.target_matchers),
        "equal": orjson.loads(row.equal),
        "created_by": row.created_by,
    }


def list_inhibitions(conn: Connection, principal: Principal | None = None) -> list[dict[str, Any]]:
    query = select(tables.inhibitions).order_by(tables.inhibitions.c.name)
    return [inhibition_view(r) for r in conn.execute(query)]


def save_inhibition(
    conn: Connection, principal: Principal, rule: InhibitionIn, *, address: str | None = None
) -> tuple[dict[str, Any], bool]:
    """Create the inhibition rule, or update the one of its name: (as stored, whether new)."""
    authorize(principal, CONFIGURE)
    t = tables.inhibitions.c
    values = {
        "source_matchers": _dump(rule.source_matchers),
        "target_matchers": _dump(rule.target_matchers),
        "equal": orjson.dumps(rule.equal).decode(),
    }
    old = conn.execute(select(tables.inhibitions).where(t.name == rule.name)).first()
    if old is None:
        conn.execute(
            insert(tables.inhibitions).values(
                name=rule.name, created_by=principal.username, **values
            )
        )
    else:
        conn.execute(update(tables.inhibitions).where(t.id == old.id).values(**values))
    view = inhibition_view(
        conn.execute(select(tables.inhibitions).where(t.name == rule.name)).one()
    )
    audit.record(
        conn,
        actor=principal.username,
        action="alert_inhibition.create" if old is None else "alert_inhibition.update",
        object_type="alert_inhibition",
        object_id=rule.name,
        before=inhibition_view(old) if old is not None else None,
        after=view,
        address=address,
    )
    return view, old is None


def delete_inhibition(
    conn: Connection, principal: Principal, name: str, *, address: str | None = None
) -> bool:
    authorize(principal, CONFIGURE)
    t = tables.inhibitions.c
    old = conn.execute(select(tables.inhibitions).where(t.name == name)).first()
    if old is None:
        return False
    conn.execute(delete(tables.inhibitions).where(t.id == old.id))
    audit.record(
        conn,
        actor=principal.username,
        action="alert_inhibition.delete",
        object_type="alert_inhibition",
        object_id=name,
        before=inhibition_view(old),
        address=address,
    )
    return True
