"""Request-scoped helpers shared by every module's router: connections, paging, dates, client address."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import Path, Query, Request
from sqlalchemy.engine import Connection

from ioc57.core.clock import today
from ioc57.core.problems import Problem, field_error

# The integers a request may carry, each bounded on both sides: a number the database cannot hold
# (2**63 and above) is a 422 naming the parameter, never a 500. Every router's integer query and
# path parameter is one of these (or a year, bounded where it is declared).
MAX_ID = 2**31 - 1  # the largest id of an INTEGER column (PostgreSQL's int4)
MAX_LONG_ID = 2**63 - 1  # of a BIGINT column (and of SQLite's INTEGER)
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000  # no one pages a billion rows deep
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
LongId = Annotated[int, Path(ge=1, le=MAX_LONG_ID)]  # the ids of the gate's BIGINT tables
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


def read_conn(request: Request) -> Iterator[Connection]:
    with request.app.state.engine.connect() as conn:
        yield conn


def write_conn(request: Request) -> Iterator[Connection]:
    """A connection inside a transaction that commits when the endpoint returns normally."""
    with request.app.state.engine.begin() as conn:
        yield conn


def parse_day(value: str | None, field: str) -> date:
    """A ``YYYY-MM-DD`` query value, or today in Việt Nam when absent."""
    if value is None or value == "":
        return today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise field_error(field, "must be a date as YYYY-MM-DD") from None


# what a JSON request may carry (a push of 10,000 records, a batch of reported values)
MAX_BODY_BYTES = 10 * 1024 * 1024


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request's body, read as it streams in and refused (413) as soon as it passes
    ``limit`` bytes: a declared length over the limit is refused before a byte is read."""
    too_large = Problem(413, f"A request carries at most {limit // 1024 // 1024} MB.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > limit:
            raise too_large
    return bytes(body)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "-"
