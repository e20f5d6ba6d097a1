"""Demo data for the citizen-reports module, loaded only by ``ioc57 demo`` (dữ liệu mô phỏng): the
routes of Đồng Tháp's (82) categories to its demo agencies, and two years of reports to hotline
1022, the web and Zalo, each with its whole timeline.

The reports are made by the simulator's own generator (``simulation.Reports``: its texts, its
routing, where a report goes next) and placed in time here, in Vietnamese working days: most are
taken up within a day or two and answered within their category's deadline, about one in ten
late; most answers are published and rated satisfied; a few reports are refused, merged into an
earlier one about the same thing, or reopened by a citizen who was not satisfied and answered
again. Each report stands as it was at the start of today: the recent ones still open, some of
them past their deadline.

Everything comes through the gate from a simulated source of its own (``phan-anh-mo-phong``), so
that the rows carry ``simulated`` and the rollups, the 766 index and the timelines follow. A
report's versions are sent in rounds (every report's first version, then every second one, ...),
so that each change of status is a step of its timeline, at the time the version says, by the
person who would have taken it (the operator, the agency's officer, the citizen). Ids and times
come from a fixed seed and the start of today: a second run on the same day changes nothing.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select

from ioc57.core.clock import LOCAL_TZ, now
from ioc57.core.workdays import add_working_days
from ioc57.feedback.categories import category
from ioc57.feedback.records import FEEDBACK
from ioc57.feedback.simulation import DONE, ROUTES, Reports
from ioc57.feedback.tables import routes
from ioc57.ingest.simulation import Record, World, pick
from ioc57.ingest.sources import simulated_source
from ioc57.modules import Demo
from ioc57.units.queries import UnitFilter, list_units, unit_at

PROVINCE = "82"
SOURCE = "phan-anh-mo-phong"
SOURCE_TITLE = "Dữ liệu mô phỏng (phản ánh, kiến nghị)"
SEED = 1022
COUNT = 2000  # reports over the two years
DAYS = 730
KEPT = 60  # the recent reports a new one may repeat (and be merged into)
OPERATOR = "vanhanh"  # the demo's operator (accounts' demo users)
OFFICERS = {"UBND-28261": "canbo.mytho"}  # else canbo.<the agency code's prefix>
LATE = 0.07  # answered past the category's deadline
TRIAGE_DAYS = [("0", 50), ("1", 35), ("2", 10), ("3", 3), ("4", 2)]  # working days, how often
PUBLISH_DAYS = [("0", 40), ("1", 40), ("2", 13), ("4", 7)]


def province_world(demo: Demo) -> World:
    """The simulator's world in Đồng Tháp: its communes with a centre and its agencies (those of
    the communes too); no step is scheduled, the demo places each."""
    serials = iter(range(1, 10**7))
    world = World(
        PROVINCE,
        random.Random(SEED),
        lambda prefix: f"{prefix}-{PROVINCE}-mp-{next(serials):05d}",
        lambda _type, _key, _seconds: None,
    )
    at = demo.today
    with demo.engine.connect() as conn:
        communes = list_units(conn, UnitFilter(at=at, level="commune", parent=PROVINCE), 1000, 0)
        agencies = list_units(conn, UnitFilter(at=at, level="agency", province=PROVINCE), 1000, 0)
    world.settle(communes[0], agencies[0])
    return world


def set_routes(demo: Demo) -> int:
    """Each category routed to its demo agency in province 82, unless a route is set already;
    how many were added."""
    added = 0
    with demo.engine.begin() as conn:
        have = set(
            conn.execute(
                select(routes.c.category).where(routes.c.province_code == PROVINCE)
            ).scalars()
        )
        for code, prefix in ROUTES.items():
            agency = unit_at(conn, f"{prefix}-{PROVINCE}", demo.today)
            if code in have or agency is None:
                continue
            conn.execute(
                insert(routes).values(
                    province_code=PROVINCE,
                    category=code,
                    agency_id=agency.id,
                    updated_by="ioc57-demo",
                    updated_at=now(),
                )
            )
            added += 1
    return added


def _later(start: datetime, days: int, rng: random.Random) -> datetime:
    """``days`` working days after ``start``, a few working hours into the day."""
    return add_working_days(start, days) + timedelta(hours=rng.uniform(0.5, 4))


def _officer(agency: str | None) -> str:
    if agency is None:
        return OPERATOR
    return OFFICERS.get(agency) or "canbo." + agency.split("-")[0].lower()


class Lives:
    """The reports' versions, one life at a time, each step placed in working days."""

    def __init__(self, world: World, end: datetime) -> None:
        self.reports = Reports(world)
        self.rng, self.end = world.rng, end

    def when(self, record: Record, going: str, last: datetime, late: bool) -> datetime:
        rng, status = self.rng, record["status"]
        received = datetime.fromisoformat(record["received_at"])
        if status == "received":  # taken up or refused: within the 2 days, a few late
            return _later(last, int(pick(rng, TRIAGE_DAYS)), rng)
        if going == "answered" and status != "info_requested":
            if record["id"] in self.reports.reopened:
                return _later(last, rng.randint(3, 10), rng)
            limit = category(record["category"]).deadlines["answer"]
            days = limit + rng.randint(1, 12) if late else rng.randint(1, limit)
            return max(_later(received, days, rng), last + timedelta(hours=2))
        if going in ("answered", "forwarded"):  # the citizen sent what was asked
            return _later(last, rng.randint(2, 6), rng)
        if going == "info_requested":
            return _later(last, rng.randint(1, 3), rng)
        if going == "published":
            return _later(last, int(pick(rng, PUBLISH_DAYS)), rng)
        if going == "rated":
            return last + timedelta(days=rng.uniform(1, 12))
        if going == "closed":
            return _later(last, rng.randint(5, 10), rng)
        return _later(last, rng.randint(0, 1), rng)  # taken up by the agency

    def life(self, received: datetime) -> list[tuple[Record, str]]:
        """A report received at ``received`` and its versions up to ``end``, each with who sent
        it."""
        reports, rng = self.reports, self.rng
        record = reports.new(received)
        first = dict(record)
        entered_by = {"web": "public:web", "app": "public:app"}.get(record["channel"], OPERATOR)
        versions = [(first, entered_by)]
        late = rng.random() < LATE
        last = datetime.fromisoformat(record["updated_at"])
        while record["status"] not in DONE:
            going = reports.next_status(record)
            at = self.when(record, going, last, late)
            if at >= self.end:
                break  # where it stands today
            record = dict(record)
            reports.apply(record, going, at)
            last = at
            if going == "rated" or record["status"] == "reopened":
                actor = "citizen"
            elif going in ("in_progress", "info_requested", "answered"):
                actor = _officer(record.get("agency"))
            else:
                actor = OPERATOR
            versions.append((record, actor))
        reports.open[record["id"]] = record
        while len(reports.open) > KEPT:
            reports.open.pop(next(iter(reports.open)))
        return versions


def two_years(world: World, today: date) -> list[list[tuple[Record, str]]]:
    """``COUNT`` reports received over the ``DAYS`` before today, in the day's waking hours,
    each with its versions up to the start of today."""
    end = datetime.combine(today, time(), LOCAL_TZ)
    start = end - timedelta(days=DAYS)
    lives, rng = Lives(world, end), world.rng
    out = []
    for i in range(COUNT):
        day = start + timedelta(days=int(DAYS * (i + rng.random()) / COUNT))
        received = day + timedelta(hours=rng.uniform(6.5, 21))
        out.append(lives.life(received))
    return out


def send(demo: Demo, lives: list[list[tuple[Record, str]]]) -> dict[str, int]:
    """Every report's versions through the gate, round by round, a batch per sender; the
    gate's counts."""
    source, principal = simulated_source(
        demo.engine, SOURCE, SOURCE_TITLE, [FEEDBACK.name], [PROVINCE], demo.today
    )
    counts: Counter[str] = Counter()
    rounds = max(len(versions) for versions in lives)
    for k in range(rounds):
        by_actor: dict[str, list[Record]] = defaultdict(list)
        for versions in lives:
            if k < len(versions):
                record, actor = versions[k]
                by_actor[actor].append(record)
        for actor, records in by_actor.items():
            rows = list(enumerate(records))
            result = demo.gate.ingest(
                source, FEEDBACK.name, rows, principal=principal, via="push", actor=actor
            )
            answer: dict[str, Any] = result.answer()
            for outcome in ("accepted", "updated", "unchanged", "stale"):
                counts[outcome] += answer[outcome]
            counts["rejected"] += answer.get("rejected_total", len(answer["rejected"]))
    return dict(counts)


def load_demo(demo: Demo) -> None:
    world = province_world(demo)
    if not world.communes:
        demo.echo("feedback: no communes with a centre in province 82: no reports")
        return
    added = set_routes(demo)
    lives = two_years(world, demo.today)
    counts = send(demo, lives)
    final = Counter(versions[-1][0]["status"] for versions in lives)
    statuses = ", ".join(f"{status} {n}" for status, n in sorted(final.items()))
    demo.echo(
        f"citizen reports (dữ liệu mô phỏng): {len(lives)} reports over two years to hotline"
        f" 1022, the web and Zalo, through the gate with their timelines ({counts['accepted']}"
        f" new, {counts['updated']} steps, {counts['unchanged'] + counts['stale']} already"
        f" loaded, {counts['rejected']} rejected); by status: {statuses}; routes added: {added}"
    )
