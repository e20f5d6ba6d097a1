"""The counts of the Decision 766 index for units and a period, read from the gate's rollups.

A unit's rollups hold its whole subtree (a province's hold its communes' dossiers), and an
agency's hold the dossiers and procedures it handles. Procedures are the province's: a commune
runs the province's commune-level procedures, so its procedure counts are the province's with
``level=commune``. Which procedures received an online dossier or payment (3.2, 4.2), and which
dossiers bear a fee (4.3), come from the per-procedure rollups matched with the catalogue of
procedures the gate stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.periods import Period
from ioc57.core.workdays import working_days_between
from ioc57.ingest.metrics import REPORTS_ON_PROCEDURES
from ioc57.ingest.tables import records, rollups
from ioc57.services.dossier import FINISHED_FLAGS, RECEIVED_FLAGS
from ioc57.services.scoring import Counts, spec
from ioc57.units.queries import of_units


@dataclass(frozen=True)
class Scope:
    """A unit as the index counts it: its rollups, and whose procedures it runs."""

    id: int
    code: str
    level: str
    province_code: str
    procedures_of: int  # the unit whose procedure rollups count (the province, or the agency)
    procedure_level: str | None  # "commune" for communes; None: every level


def scope_of(row: Any, province_id: int) -> Scope:
    """The index's view of a unit row (``units`` table) in the province whose id is given."""
    if row.level == "agency":
        return Scope(row.id, row.code, row.level, row.province_code, row.id, None)
    level = None if row.level == "province" else "commune"
    return Scope(row.id, row.code, row.level, row.province_code, province_id, level)


@dataclass(frozen=True)
class Procedure:
    code: str
    level: str
    online: bool
    fee: bool
    agency: str | None
    effective: date


def catalogue(conn: Connection, provinces: Iterable[str]) -> dict[str, dict[str, Procedure]]:
    """The procedures the gate stored, per province code (the latest of each code)."""
    query = (
        select(records.c.province_code, records.c.record_id, records.c.data)
        .where(records.c.type == "procedure", records.c.province_code.in_(sorted(set(provinces))))
        .order_by(records.c.updated_at)
    )
    out: dict[str, dict[str, Procedure]] = defaultdict(dict)
    for province, code, text in conn.execute(query):
        data = orjson.loads(text)
        out[province][code] = Procedure(
            code,
            data["level"],
            data["online"] != "none",
            data["fee"],
            data.get("agency"),
            date.fromisoformat(data["effective_date"]),
        )
    return out


def dims_of(text: str) -> dict[str, str]:
    """A rollup's dims (``key=value|key=value``, ``""`` for none) as a mapping."""
    return dict(part.split("=", 1) for part in text.split("|") if "=" in part)


Sums = dict[int, dict[tuple[str, str], tuple[int, float]]]


def _sums(conn: Connection, ids: list[int], metrics: list[str], start: date | None, end: date):
    """{unit id: {(metric, dims): (count, sum)}} over the days from ``start`` (or ever) to
    ``end``."""
    c = rollups.c
    query = (
        select(c.unit_id, c.metric, c.dims, func.sum(c.count), func.sum(c.sum))
        .where(of_units(conn, rollups, ids), c.metric.in_(metrics), c.day <= end)
        .group_by(c.unit_id, c.metric, c.dims)
    )
    if start is not None:
        query = query.where(c.day >= start)
    out: Sums = defaultdict(dict)
    for u, m, d, n, total in conn.execute(query):
        out[u][m, d] = (int(n), float(total))
    return out


# the flags counted as such (a dossier paid online counts by procedure, for 4.3)
COUNTED = {f.name for f in fields(Counts)}
BY_PROCEDURE = ("dossier.procedure.received", "dossier.procedure.month")
DOSSIER_METRICS = [
    "dossier.received",
    "dossier.finished",
    *(f"dossier.received.{flag}" for flag in RECEIVED_FLAGS),
    *(f"dossier.finished.{flag}" for flag in FINISHED_FLAGS),
]
PROCEDURE_METRICS = [
    "procedure.in_force",
    "procedure.published_on_time",
    "procedure.full_content",
    "procedure.population_db",
    "procedure.fee",
    "procedure.fee.payment_online",
]


def by_procedure(period: Period) -> str:
    """The per-procedure metric to read: by month for whole months, by day otherwise."""
    whole = period.start.day == 1 and (period.end + timedelta(days=1)).day == 1
    return BY_PROCEDURE[1] if whole else BY_PROCEDURE[0]


def _procedure_counts(rows: dict[tuple[str, str], tuple[int, float]], scope: Scope):
    out: dict[str, int] = defaultdict(int)
    for (metric, text), (n, _) in rows.items():
        dims = dims_of(text)
        if scope.procedure_level and dims.get("level") != scope.procedure_level:
            continue
        out[metric] += n
        if metric == "procedure.in_force" and dims.get("online") != "none":
            out["offered_online"] += n
            out["end_to_end"] += n if dims.get("online") == "full" else 0
        if metric == "procedure.change":
            out["changes_on_time"] += n if dims.get("on_time") == "yes" else 0
    return out


def _dossier_counts(
    rows: dict[tuple[str, str], tuple[int, float]],
    scope: Scope,
    procedures: dict[str, Procedure],
    end: date,
):
    out: dict[str, float] = defaultdict(float)
    online_used: set[str] = set()
    paid: set[str] = set()
    for (metric, text), (n, total) in rows.items():
        dims = dims_of(text)
        if metric in BY_PROCEDURE:
            code = dims["procedure"]
            online = dims.get("channel") == "online"
            if online:
                online_used.add(code)
            known = procedures.get(code)
            if known is not None and known.fee:
                out["fee_dossiers"] += n
                if dims.get("paid_online") == "yes":
                    out["fee_dossiers_paid_online"] += n
                    paid.add(code)
        elif metric == "dossier.received":
            out["received"] += n
            out["received_online"] += n if dims.get("channel") == "online" else 0
        elif metric == "dossier.finished":
            out["finished"] += n
            out["on_time"] += n if dims.get("on_time") == "yes" else 0
            out["working_days"] += total
        elif metric.rsplit(".", 1)[1] in COUNTED:
            out[metric.rsplit(".", 1)[1]] += n
    runs = [
        p
        for p in procedures.values()
        if p.effective <= end
        and (scope.procedure_level is None or p.level == scope.procedure_level)
        and (scope.level != "agency" or p.agency == scope.code)
    ]
    out["online_procedures"] = sum(p.online for p in runs)
    out["online_procedures_used"] = sum(p.online and p.code in online_used for p in runs)
    out["fee_procedures"] = sum(p.fee for p in runs)
    out["fee_procedures_paid"] = sum(p.fee and p.code in paid for p in runs)
    return out


def _report_counts(conn: Connection, ids: list[int], period: Period, today: date):
    """Reports about procedures received in the period, per unit: answered on time or late, or
    unanswered past their deadline (as of ``today``), unsatisfied, repeated."""
    limit = spec()["params"]["report_answer_working_days"]
    c = rollups.c
    query = (
        select(c.unit_id, c.day, c.dims, func.sum(c.count))
        .where(of_units(conn, rollups, ids), c.metric == REPORTS_ON_PROCEDURES)
        .where(c.day.between(period.start, period.end))
        .group_by(c.unit_id, c.day, c.dims)
    )
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for unit, day, text, total in conn.execute(query):
        n = int(total)
        dims, counts = dims_of(text), out[unit]
        counts["reports"] += n
        counts["reports_unsatisfied"] += n if dims.get("satisfaction") == "unsatisfied" else 0
        counts["reports_repeated"] += n if dims.get("repeated") == "yes" else 0
        days = dims.get("answer_days", "none")
        if days != "none":
            counts["reports_due"] += n
            counts["reports_on_time"] += n if int(days) <= limit else 0
        elif working_days_between(day, today) > limit:
            counts["reports_due"] += n
    return out


def gather(conn: Connection, scopes: list[Scope], period: Period, today: date) -> dict[int, Counts]:
    """The index's counts of each unit for the period, in four queries whatever the units."""
    ids = [s.id for s in scopes]
    owners = sorted({s.procedures_of for s in scopes})
    dossiers = _sums(conn, ids, [*DOSSIER_METRICS, by_procedure(period)], period.start, period.end)
    procedures = _sums(conn, owners, PROCEDURE_METRICS, None, period.end)
    for owner, rows in _sums(conn, owners, ["procedure.change"], period.start, period.end).items():
        procedures[owner] |= rows
    reports = _report_counts(conn, ids, period, today)
    known = catalogue(conn, (s.province_code for s in scopes))
    out = {}
    for scope in scopes:
        p = _procedure_counts(procedures.get(scope.procedures_of, {}), scope)
        d = _dossier_counts(
            dossiers.get(scope.id, {}), scope, known.get(scope.province_code, {}), period.end
        )
        out[scope.id] = Counts(
            procedures=p["procedure.in_force"],
            published_on_time=p["procedure.published_on_time"],
            full_content=p["procedure.full_content"],
            offered_online=p["offered_online"],
            end_to_end=p["end_to_end"],
            fee=p["procedure.fee"],
            fee_payment_online=p["procedure.fee.payment_online"],
            population_db=p["procedure.population_db"],
            changes=p["procedure.change"],
            changes_on_time=p["changes_on_time"],
            **{k: (v if k == "working_days" else int(v)) for k, v in d.items()},
            **reports.get(scope.id, {}),
        )
    return out
