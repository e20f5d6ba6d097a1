"""Request-scoped helpers shared by every module's router: connections, paging, dates, client address."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from zoneinfo import ZoneInfo

from fastapi import Request
from sqlalchemy.engine import Connection

from ioc57.core.problems import field_error

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def read_conn(request: Request) -> Iterator[Connection]:
    with request.app.state.engine.connect() as conn:
        yield conn


def write_conn(request: Request) -> Iterator[Connection]:
    """A connection inside a transaction that commits when the endpoint returns normally."""
    with request.app.state.engine.begin() as conn:
        yield conn


def today() -> date:
    from datetime import datetime

    return datetime.now(LOCAL_TZ).date()


def parse_day(value: str | None, field: str) -> date:
    """A ``YYYY-MM-DD`` query value, or today in Việt Nam when absent."""
    if value is None or value == "":
        return today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise field_error(field, "must be a date as YYYY-MM-DD") from None


def client_address(request: Request) -> str:
    return request.client.host if request.client else "-"
