"""Taking a citizen's report in, whatever the channel: the public form, an operator on hotline 1022,
an Open311 app. One function makes the record and sends it through the gate, as the people-entry
source, so that a report filed here counts, rolls up and is announced like one from any system.

The report gets an id (``PA`` + the day + random letters, public: Open311 lists it) and a tracking
code (private: the citizen's key to follow and rate it). Its category decides whether it is about an
administrative procedure (the 766 index counts those).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from fastapi.concurrency import run_in_threadpool

from ioc57.core.clock import LOCAL_TZ, now
from ioc57.core.problems import Problem
from ioc57.feedback import tracking
from ioc57.feedback.categories import categories
from ioc57.feedback.together import together
from ioc57.ingest.gate import Gate

CHANNELS = ("phone", "web", "app", "zalo", "email", "open311")


@dataclass(frozen=True)
class Filed:
    record_id: str
    tracking: str
    unit: str | None  # the commune's code, when the place was found


def new_id() -> str:
    day = now().astimezone(LOCAL_TZ).strftime("%y%m%d")
    return f"PA{day}-" + "".join(secrets.choice(tracking.ALPHABET) for _ in range(6))


def record(fields: dict[str, Any], channel: str) -> dict[str, Any]:
    """The ``feedback`` record of a report being filed (``fields``: category, text, lat, lon,
    address, unit, contact, photos, and what a channel adds)."""
    at = now()
    known = categories()
    code = fields.get("category")
    return {
        **{k: v for k, v in fields.items() if v not in (None, "", [], {})},
        "id": new_id(),
        "channel": channel,
        "received_at": at.isoformat(),
        "status": "received",
        "about_procedure": bool(code in known and known[code].about_procedure),
        "tracking": tracking.mint(),
        "updated_at": at.isoformat(),
    }


def file_report(
    gate: Gate, fields: dict[str, Any], channel: str, actor: str, address: str | None = None
) -> Filed:
    """Send a new report through the gate; a 422 naming its fields when it is refused. The
    filing is audited (by ``actor``, from the client ``address``)."""
    if channel not in CHANNELS:
        raise Problem(422, "Unknown channel.", errors=[{"loc": ["channel"], "msg": "unknown"}])
    data = record(fields, channel)
    # with the reports filed at the same moment, in one batch, each filing audited (``together``)
    unit = together(gate).file(gate, data, actor, address)
    return Filed(data["id"], data["tracking"], unit)


async def file_report_async(
    gate: Gate, fields: dict[str, Any], channel: str, actor: str, address: str | None = None
) -> Filed:
    return await run_in_threadpool(file_report, gate, fields, channel, actor, address)
