"""Data sources: named systems, the record types and units each may send, and their tokens."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine

from ioc57.accounts import service as accounts
from ioc57.accounts.tables import users
from ioc57.core import audit
from ioc57.core.access import Principal
from ioc57.core.clock import local_iso, now
from ioc57.core.i18n import N_
from ioc57.core.messages import entry, message
from ioc57.core.problems import Problem, field_error
from ioc57.ingest.batches import Source
from ioc57.ingest.tables import sources
from ioc57.ingest.types import RECORD_TYPES
from ioc57.units.queries import valid_at
from ioc57.units.tables import units

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")
PULL_FORMATS = ("json", "ndjson", "csv")
FIELDS = (
    "name",
    "title",
    "types",
    "units",
    "trusted",
    "simulated",
    "disabled",
    "pull_url",
    "pull_type",
    "pull_format",
    "pull_interval_s",
    "last_pulled_at",
    "last_error",
    "last_error_at",
    "created_at",
)


def public_source(row: Any) -> dict[str, Any]:
    item = {k: row._mapping[k] for k in FIELDS}
    for key in ("last_pulled_at", "last_error_at", "created_at"):
        item[key] = local_iso(item[key])  # with its offset (SQLite keeps none)
    return item


# what a source's form or the API is told when a field is wrong (``core.messages``)
NO_CURRENT_UNIT = message("ingest.no_current_unit", N_("no current unit has code '{code}'"))
TYPES_ARE = message("ingest.types_are", N_("record types are {types}"))
NO_UNIT = message("ingest.no_unit", N_("at least one unit"))
NOT_A_URL = message("ingest.not_a_url", N_("an http or https URL"))
NOT_A_FORMAT = message("ingest.not_a_format", N_("one of {formats}"))
NOT_ITS_TYPE = message("ingest.not_its_type", N_("one of the source's record types"))
BAD_INTERVAL = message("ingest.bad_interval", N_("between 10 and 86400 seconds"))
NOT_SECONDS = message("ingest.not_seconds", N_("a number of seconds"))
BAD_NAME = message("ingest.bad_name", N_("2–40 lower-case letters, digits, '_' or '-'"))
NAME_TAKEN = message("ingest.name_taken", N_("taken"))


def _unit_ids(conn: Connection, codes: list[str], today: date) -> list[int]:
    """The ids of the units ``codes`` name today, in one query (the people-entry source names
    every province, and each report filed reads its source)."""
    query = select(units.c.code, units.c.id).where(units.c.code.in_(codes), valid_at(today))
    found: dict[str, int] = {code: unit_id for code, unit_id in conn.execute(query)}
    for code in codes:
        if code not in found:
            raise field_error("units", NO_CURRENT_UNIT, code=code)
    return [found[code] for code in codes]


def validate(conn: Connection, values: dict[str, Any], today: date) -> None:
    if "types" in values:
        unknown = [t for t in values["types"] if t not in RECORD_TYPES]
        if unknown or not values["types"]:
            raise field_error("types", TYPES_ARE, types=", ".join(RECORD_TYPES))
    if "units" in values:
        if not values["units"]:
            raise field_error("units", NO_UNIT)
        _unit_ids(conn, values["units"], today)
    if values.get("pull_url"):
        if not re.match(r"^https?://", values["pull_url"]):
            raise field_error("pull_url", NOT_A_URL)
        if values.get("pull_format") not in PULL_FORMATS:
            raise field_error("pull_format", NOT_A_FORMAT, formats=", ".join(PULL_FORMATS))
        if values.get("pull_type") not in (values.get("types") or RECORD_TYPES):
            raise field_error("pull_type", NOT_ITS_TYPE)
        if not values.get("pull_interval_s") or not 10 <= values["pull_interval_s"] <= 86_400:
            raise field_error("pull_interval_s", BAD_INTERVAL)


def create_source(
    conn: Connection,
    *,
    actor: str,
    name: str,
    types: list[str],
    units: list[str],
    today: date,
    title: str = "",
    trusted: bool = False,
    simulated: bool = False,
    pull_url: str | None = None,
    pull_type: str | None = None,
    pull_format: str | None = None,
    pull_interval_s: int | None = None,
) -> tuple[dict[str, Any], str]:
    """Create a source with its system user; return it and its token (shown once)."""
    if not NAME.match(name or ""):
        raise field_error("name", BAD_NAME)
    if conn.execute(select(sources.c.id).where(sources.c.name == name)).first():
        raise Problem(409, f"Source '{name}' exists.", errors=[entry(NAME_TAKEN, ["name"])])
    values = {
        "types": types,
        "units": units,
        "pull_url": pull_url,
        "pull_type": pull_type,
        "pull_format": pull_format,
        "pull_interval_s": pull_interval_s,
    }
    validate(conn, values, today)
    unit_ids = _unit_ids(conn, units, today)
    username = f"src.{name}"
    user = accounts.create_user(
        conn,
        actor=actor,
        username=username,
        role="system",
        password=None,
        unit_id=unit_ids[0],
        unit_code=units[0],
        display_name=title or name,
    )
    conn.execute(
        sources.insert().values(
            name=name,
            title=title or name,
            types=types,
            units=units,
            user_id=user["id"],
            trusted=trusted,
            simulated=simulated,
            disabled=False,
            pull_url=pull_url,
            pull_type=pull_type,
            pull_format=pull_format,
            pull_interval_s=pull_interval_s,
            created_at=now(),
        )
    )
    item = public_source(get_row(conn, name))
    audit.record(
        conn, actor=actor, action="source.create", object_type="source", object_id=name, after=item
    )
    token = accounts.create_token(conn, actor=actor, username=username, name=f"source {name}")
    return item, token


def change_source(
    conn: Connection, *, actor: str, name: str, today: date, **changes: Any
) -> dict[str, Any]:
    row = get_row(conn, name)
    if row is None:
        raise Problem(404, f"No source '{name}'.")
    before = public_source(row)
    values = {k: v for k, v in changes.items() if v is not None}
    merged = {
        k: row._mapping[k]
        for k in ("types", "pull_url", "pull_type", "pull_format", "pull_interval_s")
    }
    validate(conn, merged | values, today)
    if values:
        conn.execute(update(sources).where(sources.c.id == row.id).values(**values))
    if values.get("units"):  # its token's scope (the live stream's) follows its units
        first = _unit_ids(conn, values["units"][:1], today)[0]
        conn.execute(update(users).where(users.c.id == row.user_id).values(unit_id=first))
    after = public_source(get_row(conn, name))
    audit.record(
        conn,
        actor=actor,
        action="source.change",
        object_type="source",
        object_id=name,
        before=before,
        after=after,
    )
    return after


def get_row(conn: Connection, name: str) -> Any | None:
    return conn.execute(select(sources).where(sources.c.name == name)).first()


def list_sources(conn: Connection) -> list[dict[str, Any]]:
    return [public_source(r) for r in conn.execute(select(sources).order_by(sources.c.name))]


def as_source(conn: Connection, row: Any, today: date) -> Source:
    """The gate's view of a source row."""
    scope = frozenset(_unit_ids(conn, list(row.units), today)) if row.units else frozenset()
    return Source(
        row.id,
        row.name,
        frozenset(row.types),
        tuple(row.units),
        scope,
        row.user_id,
        bool(row.trusted),
        bool(row.simulated),
    )


def source_principal(conn: Connection, row: Any) -> Principal:
    """The source's own system user: who writes what the source sends by itself (a pull, the
    demo's figures), with the source's rights and no others."""
    query = select(users.c.id, users.c.username, users.c.role, users.c.unit_id, units.c.code)
    user = conn.execute(
        query.outerjoin(units, units.c.id == users.c.unit_id).where(users.c.id == row.user_id)
    ).one()
    return Principal(user.id, user.username, user.role, user.unit_id, user.code, "source")


def simulated_source(
    engine: Engine, name: str, title: str, types: list[str], units: list[str], today: date
) -> tuple[Source, Principal]:
    """A demo's simulated source (made the first time, as ``ioc57-demo``), and its own system
    user, who sends the demo's records as the source would."""
    with engine.begin() as conn:
        if get_row(conn, name) is None:
            create_source(
                conn,
                actor="ioc57-demo",
                name=name,
                title=title,
                types=types,
                units=units,
                today=today,
                simulated=True,
            )
        row = get_row(conn, name)
        return as_source(conn, row, today), source_principal(conn, row)


def source_of_user(conn: Connection, user_id: int) -> Any | None:
    return conn.execute(select(sources).where(sources.c.user_id == user_id)).first()


def refusal(conn: Connection, principal: Principal) -> str | None:
    """Why a data source's token is refused (its source is disabled), for ``app.state.refusals``.

    Disabling a source suspends its tokens without revoking them: enabling it again gives back
    every token that was not revoked meanwhile (a revoked token never works again).
    """
    if not principal.is_source:
        return None
    row = source_of_user(conn, principal.id)
    if row is not None and row.disabled:
        return f"Source '{row.name}' is disabled."
    return None
