"""What the public-services module asks the operations centre to look at: the open dossiers of the
person's scope that became late today, that are late since before, and that fall due within one
working day, one concern per agency (or per unit, for dossiers no agency handles) and state, read
from ``services_open_dossiers`` (``worklist``) in one grouped pass over its indexes.

Severity (``Concern.severity``):
- late today (the due time, moved by the days suspended, passed since local midnight): 2. The
  dossier's points are lost, but the citizen is still waiting: the agency must finish it and
  apologise in writing (Decree 61/2018, art. 19), today;
- late since before: 2, as well; newer concerns rank above it (``centre.registry.rank``: a
  concern of the last 24 hours a step up, then the newest first), so it sinks below the fresh;
- due within one working day: 1 to watch; 2 when finishing them all late rather than on time
  would cost the reader's 766 index (its unit's: a commune's, an agency's, a province's; a person
  without a unit, each dossier's province's) at least ``MANY_POINTS`` points this month: a point
  of a 100-point index is what a leader moves for, and units are ranked on it.

The points are the reader's index's, not each dossier's unit's (the work list's
``points_at_stake``): a province's leader reads what the province loses, a commune's officer what
the commune loses, so that the same two dossiers weigh little in a province and much in a
commune that finishes a dozen a month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import LOCAL_TZ, stored_utc
from ioc57.core.i18n import N_
from ioc57.core.pages import link
from ioc57.core.periods import parse_period
from ioc57.core.workdays import add_working_days
from ioc57.ingest.tables import sources
from ioc57.modules import Concern
from ioc57.services.counts import gather
from ioc57.services.index import scopes_of
from ioc57.services.scoring import Counts, index
from ioc57.services.tables import open_dossiers
from ioc57.services.worklist import subtree
from ioc57.units.queries import unit_at, unit_by_id
from ioc57.units.tables import units

READ = "services.read"
SOURCE = N_("Public service portal (LGSP)")
MANY_POINTS = 1.0  # points of the 766 index at stake that make a due-soon group high
KINDS = {
    "late_today": N_("Dossiers late today"),
    "late": N_("Dossiers late"),
    "due_soon": N_("Dossiers about to be late"),
}
WHY = {
    "late_today": N_("{count} dossiers became late today"),
    "late": N_("{count} dossiers past their due time, the oldest since {day}"),
    "due_soon": N_(
        "{count} dossiers due within a working day, {points} points of the 766 index at stake"
    ),
}
# beyond the first ``OWNERS`` agencies or units in a state (by points at stake, then dossiers),
# one concern for the rest: a province's hundred communes would flood the list
OWNERS = 5
OTHERS = N_("Other agencies and units")
WHY_OTHERS = {
    "late_today": N_("{count} dossiers of {owners} other agencies and units became late today"),
    "late": N_("{count} dossiers of {owners} other agencies and units past their due time"),
    "due_soon": N_(
        "{count} dossiers of {owners} other agencies and units due within a working day, "
        "{points} points of the 766 index at stake"
    ),
}
# the work list's tab each concern opens
TAB = {"late_today": "overdue", "late": "overdue", "due_soon": "due_soon"}


def midnight(day: date) -> datetime:
    """The start of a local day, in UTC."""
    return datetime.combine(day, time(), LOCAL_TZ).astimezone(UTC)


def due_soon_until(at: datetime) -> datetime:
    """The end of the next working day after ``at``'s day: "due within a working day"."""
    day = add_working_days(at.astimezone(LOCAL_TZ).date(), 1)
    return midnight(day + timedelta(days=1))


def became_due_soon(due: datetime) -> datetime:
    """When a dossier due at ``due`` entered the window of ``due_soon_until``: the start of the
    earliest day from which its due day is at most one working day ahead."""
    due_day = due.astimezone(LOCAL_TZ).date()
    day = due_day
    while add_working_days(day - timedelta(days=1), 1) >= due_day:
        day -= timedelta(days=1)
    return midnight(day)


def scope_unit(conn: Connection, principal: Principal) -> Any | None:
    """The unit whose subtree the person sees (an officer's, an agency's); None: every unit."""
    return unit_by_id(conn, principal.unit_id) if principal.unit_id is not None else None


def grouped(conn: Connection, unit: Any | None, at: datetime) -> list[Any]:
    """The open dossiers due before the end of the next working day, counted by (agency or unit,
    unit, state), with the earliest due time of each group and whether a simulated source sent
    them."""
    t = open_dossiers.c
    today = midnight(at.astimezone(LOCAL_TZ).date())
    state = case(
        (t.effective_due_at < today, "late"),
        (t.effective_due_at < at, "late_today"),
        else_="due_soon",
    ).label("state")
    owner = func.coalesce(t.agency_id, t.unit_id).label("owner_id")
    query = (
        select(
            owner,
            t.unit_id,
            t.province_code,
            state,
            func.count().label("n"),
            func.min(t.effective_due_at).label("first"),
            func.max(case((sources.c.simulated, 1), else_=0)).label("simulated"),
        )
        .join(sources, sources.c.id == t.source_id)
        .where(or_(*subtree(conn, unit)), t.effective_due_at < due_soon_until(at))
        .group_by(owner, t.unit_id, t.province_code, state)
    )
    return list(conn.execute(query))


def target_of(unit: Any | None, row: Any) -> str:
    """Whose index a dossier's points count in: the person's unit's, or its province's."""
    return unit.code if unit is not None else row.province_code


def stakes_of(conn: Connection, unit: Any | None, rows: list[Any], at: datetime):
    """``points(target, n)``: what the index of ``target`` (``target_of``) for the month of
    ``at`` loses if ``n`` more of its dossiers finish late rather than on time."""
    day = at.astimezone(LOCAL_TZ).date()
    codes = {target_of(unit, r) for r in rows if r.state == "due_soon"}
    targets = [unit] if unit is not None else [unit_at(conn, code, day) for code in sorted(codes)]
    found = [t for t in targets if t is not None and t.code in codes]
    scopes = scopes_of(conn, found, day)
    counts = gather(conn, scopes, parse_period(f"{day:%Y%m}"), day) if scopes else {}
    by_code = {s.code: counts.get(s.id, Counts()) for s in scopes}

    memo: dict[tuple[str, int], float] = {}  # groups of one or two dossiers are most

    def points(code: str, n: int) -> float:
        c = by_code.get(code)
        if c is None:
            return 0.0
        if (code, n) not in memo:
            early = index(replace(c, finished=c.finished + n, on_time=c.on_time + n))["total"]
            late = index(replace(c, finished=c.finished + n))["total"]
            memo[code, n] = max(0.0, (early or 0.0) - (late or 0.0))
        return memo[code, n]

    return points


def find(conn: Connection, principal: Principal, now: datetime, limit: int) -> list[Concern]:
    """The late and due-soon dossiers of ``principal``'s scope, one concern per agency and state,
    most severe first (then the newest), at most ``limit``."""
    if not may(principal, READ):
        return []
    at = now.astimezone(UTC)
    unit = scope_unit(conn, principal)
    rows = grouped(conn, unit, at)
    points = stakes_of(conn, unit, rows, at)
    groups: dict[tuple[int, str], dict[str, Any]] = defaultdict(
        lambda: {"n": 0, "first": None, "simulated": False, "by_target": defaultdict(int)}
    )
    for r in rows:
        g = groups[r.owner_id, r.state]
        first = stored_utc(r.first)
        g["n"] += r.n
        g["first"] = first if g["first"] is None else min(g["first"], first)
        g["simulated"] = g["simulated"] or bool(r.simulated)
        if r.state == "due_soon":
            g["by_target"][target_of(unit, r)] += r.n
    for g in groups.values():
        g["points"] = sum(points(t, n) for t, n in g["by_target"].items())
    names = select(units.c.id, units.c.code, units.c.name)
    ids = sorted({k[0] for k in groups})
    owners = {o.id: o for o in conn.execute(names.where(units.c.id.in_(ids)))}
    found: list[Concern] = []
    for state in WHY:
        mine = [(owners[o], g) for (o, st), g in groups.items() if st == state]
        # the most at stake (due soon), the most dossiers, first
        mine.sort(key=lambda p: (-p[1]["points"], -p[1]["n"], p[0].code))
        found.extend(concern(owner, state, g, at) for owner, g in mine[:OWNERS])
        if len(mine) > OWNERS:
            rest = others([g for _o, g in mine[OWNERS:]], points)
            found.append(concern(None, state, rest, at, unit.code if unit is not None else None))
    found.sort(key=lambda c: (c.severity, c.since), reverse=True)
    return found[:limit]


def others(gs: list[dict[str, Any]], points: Any) -> dict[str, Any]:
    """The groups of the agencies and units beyond the first ``OWNERS`` of a state, as one."""
    by_target: dict[str, int] = defaultdict(int)
    for g in gs:
        for target, n in g["by_target"].items():
            by_target[target] += n
    return {
        "n": sum(g["n"] for g in gs),
        "first": min(g["first"] for g in gs),
        "points": sum(points(t, n) for t, n in by_target.items()),
        "simulated": any(g["simulated"] for g in gs),
        "owners": len(gs),
    }


def concern(
    owner: Any | None, state: str, g: dict[str, Any], at: datetime, scope: str | None = None
) -> Concern:
    """One agency's (or unit's) dossiers in one state; with no owner, those of ``g["owners"]``
    agencies and units of the scope whose code is ``scope`` (every unit's, when None)."""
    first: datetime = g["first"]
    points = round(g["points"], 2) if state == "due_soon" else None
    args: dict[str, Any] = {"count": g["n"]}
    if state == "due_soon":
        args["points"] = points
        since = min(became_due_soon(first), at)
        severity = 2 if (points or 0.0) >= MANY_POINTS else 1
    else:
        since = first
        severity = 2
        if state == "late":
            args["day"] = first.astimezone(LOCAL_TZ).date().isoformat()
    if owner is None:
        args["owners"] = g["owners"]
        key, title, why, code = (
            f"services:{state}:others:{scope or '*'}",
            OTHERS,
            WHY_OTHERS[state],
            scope,
        )
    else:
        key, title, why, code = f"services:{state}:{owner.code}", owner.name, WHY[state], owner.code
    return Concern(
        key=key,
        kind=KINDS[state],
        title=title,
        why=why,
        since=since,
        severity=severity,
        href=link("/services/dossiers", unit=code, state=TAB[state]),
        owner=owner.name if owner is not None else None,
        unit_code=code,
        args=args,
        points=points,
        simulated=g["simulated"],
        source=SOURCE,
    )
