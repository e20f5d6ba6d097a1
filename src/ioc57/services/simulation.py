"""Simulated procedures and dossiers (dữ liệu mô phỏng), for ``ioc57 simulate`` and the demo.

- ``procedure``: the province's catalogue (``services.catalogue``), sent once at the start. Most
  procedures were published at least 5 working days before they took effect, some later; a few
  were changed since, and some changes were published late. The catalogue is the same in every
  run (each procedure draws from its own code), so a second run does not rewrite the history.
- ``dossier``: received at the province (by the procedure's agency) or in its real communes, about
  as often online as in Tiền Giang. Each dossier's life is drawn when it is made: the time it took
  against the promised working days (most well within, a long tail late), requests for papers
  (some asked twice, which is late whatever the time) and suspensions, whose working days the
  applicant spent count as ``suspended_days``; then finished, returned or cancelled. The life lies
  in the past, ending minutes to days before the dossier is first sent, as provincial systems sync
  late; later steps send the statuses it went through, and the last one its end.
"""

from __future__ import annotations

import itertools
import math
import random
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ioc57.core.clock import LOCAL_TZ
from ioc57.core.workdays import add_working_days, is_working_day
from ioc57.ingest.simulation import Generator, Record, World, iso, pick
from ioc57.services.catalogue import PROCEDURES, Entry
from ioc57.services.dossier import on_time

# Tiền Giang, 000_4708605e53e133ba.txt: "Tỷ lệ hồ sơ trực tuyến toàn tỉnh đạt 53,85%, với trên
# 388.880 hồ sơ trực tuyến"
ONLINE_SHARE = 0.5385
PARTIAL_ONLINE = 0.5  # a partly online procedure gets online dossiers half as often
OPENING, CLOSING = time(7, 30), time(17)  # the office day; a dossier is due by its end
OFFICE_DAY = timedelta(hours=9, minutes=30)
# the working time taken, over the promised: lognormal, median 0.5, over 1 one time in ten (the
# end of the due day takes some of those in: about 5% of the dossiers are finished late)
TAKEN_MEDIAN, TAKEN_SIGMA = 0.5, 0.55
SUPPLEMENTS = [(0, 90), (1, 8), (2, 2)]  # requests for papers per dossier: a second one is late
SUSPENDED = 0.05  # dossiers suspended once (an opinion asked of another agency, say)
ENDS = [("finished", 955), ("returned", 30), ("cancelled", 15)]  # in a thousand dossiers
# when a procedure took effect: most with the two-level local government, some earlier
TAKES_EFFECT = ["2024-08-01", "2025-01-01", "2025-03-01", "2025-07-01", "2025-07-01"]

# the share of online dossiers of a fully online procedure, so that the catalogue's dossiers, by
# volume, are online as often as ONLINE_SHARE
_BY_LEVEL = {
    level: sum(p.volume for p in PROCEDURES if p.online == level)
    / sum(p.volume for p in PROCEDURES)
    for level in ("full", "partial")
}
FULL_ONLINE = ONLINE_SHARE / (_BY_LEVEL["full"] + PARTIAL_ONLINE * _BY_LEVEL["partial"])
ONLINE = {"full": FULL_ONLINE, "partial": FULL_ONLINE * PARTIAL_ONLINE, "none": 0.0}


def agency_of(procedure: Entry, agencies: list[str]) -> str | None:
    """The agency that decides a province-level procedure: the same one for its record and for
    each of its dossiers."""
    if procedure.level != "province" or not agencies:
        return None
    return agencies[zlib.crc32(procedure.code.encode()) % len(agencies)]


def days_before(day: date, working_days: int) -> date:
    """The working day ``working_days`` working days before ``day`` (``day`` itself for 0)."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    for _ in range(working_days):
        day -= timedelta(days=1)
        while not is_working_day(day):
            day -= timedelta(days=1)
    return day


def office_time_before(moment: datetime) -> datetime:
    """The latest time at or before ``moment`` when the office is open."""
    local = moment.astimezone(LOCAL_TZ)
    if is_working_day(local.date()) and local.time() >= OPENING:
        return min(local, datetime.combine(local.date(), CLOSING, LOCAL_TZ))
    return datetime.combine(days_before(local.date() - timedelta(days=1), 0), CLOSING, LOCAL_TZ)


def working_time_before(end: datetime, working_days: float) -> datetime:
    """The time ``working_days`` of office time before ``end`` (an office time), so that adding
    them back, whole days with ``add_working_days`` and then the rest, gives ``end``."""
    whole = int(working_days)
    start = end - (working_days - whole) * OFFICE_DAY
    opening = datetime.combine(end.date(), OPENING, LOCAL_TZ)
    if start < opening:
        previous = days_before(end.date() - timedelta(days=1), 0)
        start = datetime.combine(previous, CLOSING, LOCAL_TZ) - (opening - start)
    day = days_before(start.date(), whole)
    return datetime.combine(day, start.timetz())


class ProcedureCatalogue(Generator):
    """The procedures of ``services.catalogue``, in force in the province; sent once at the start."""

    record_type = "procedure"

    def start(self, at: datetime) -> list[Record]:
        return [self.record(p, at) for p in PROCEDURES]

    def record(self, procedure: Entry, at: datetime) -> Record:
        rng = random.Random(procedure.code)  # the same procedure in every run
        effective = date.fromisoformat(rng.choice(TAKES_EFFECT))
        record: Record = {
            "id": procedure.code,
            "name": procedure.name,
            "unit": self.world.province,
            "level": procedure.level,
            "online": procedure.online,
            "fee": procedure.fee,
            "payment_online": procedure.payment_online,
            "population_db": procedure.population_db,
            "effective_date": effective.isoformat(),
            "published_date": published(rng, effective, on_time=0.85),
            "full_content": rng.random() < 0.92,
            "changes": [],
            "updated_at": iso(at),
        }
        agency = agency_of(procedure, self.world.agencies)
        if agency:
            record["agency"] = agency
        changed = effective
        for _ in range(rng.choices([0, 1, 2], [80, 14, 6])[0]):
            changed += timedelta(days=rng.randint(30, 200))
            if changed > at.date() - timedelta(days=45):  # its publication is in the past too
                break
            record["changes"].append(
                {
                    "changed_date": changed.isoformat(),
                    "published_date": published_after(rng, changed),
                }
            )
        return record


def published(rng: random.Random, effective: date, *, on_time: float) -> str | None:
    """When a procedure taking effect on ``effective`` was published: at least 5 working days
    before at the rate ``on_time``, else later (a few after it took effect), or never (1 in 50)."""
    roll = rng.random()
    if roll < on_time:
        day = days_before(effective, rng.randint(5, 25))
    elif roll < 0.98:
        day = days_before(effective, rng.randint(0, 4)) + timedelta(days=rng.choice([0, 0, 3, 9]))
    else:
        return None
    return day.isoformat()


def published_after(rng: random.Random, changed: date) -> str:
    """When a change was published: within 5 working days of it at most times, some later."""
    late = rng.random() < 0.25
    return add_working_days(changed, rng.randint(6, 20) if late else rng.randint(0, 5)).isoformat()


@dataclass
class Life:
    """What becomes of a dossier: the statuses it goes through after the first one sent, each with
    the working days the applicant spent that it ends (papers supplied, a suspension lifted), and
    the time its last status was reached."""

    steps: list[tuple[str, int]] = field(default_factory=list)
    ends_at: datetime = datetime.min


class Dossiers(Generator):
    """Dossiers of the catalogue's procedures, followed until they are done."""

    record_type = "dossier"
    weight = 5

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.volumes = [p.volume for p in PROCEDURES]
        self.lives: dict[str, Life] = {}  # of the followed dossiers, by id

    def new(self, at: datetime) -> Record:
        rng, world = self.rng, self.world
        procedure = rng.choices(PROCEDURES, self.volumes)[0]
        life, taken, suspended = self.life(procedure.days)
        ends = office_time_before(at - self.sync_lag())
        received = working_time_before(ends, taken + suspended)
        life.ends_at = ends
        due_day = add_working_days(received.date(), procedure.days)
        due = max(datetime.combine(due_day, CLOSING, LOCAL_TZ), received + timedelta(hours=1))
        if rng.random() < ONLINE[procedure.online]:
            channel = "online"
        else:
            channel = pick(rng, [("direct", 95), ("postal", 5)])
        status = "received" if rng.random() < 0.8 else "processing"  # as the system first saw it
        if life.steps[0] == (status, 0):
            life.steps.pop(0)
        province = procedure.level == "province"
        record: Record = {
            "id": world.mint("HS"),
            "procedure": procedure.code,
            "unit": world.province if province else rng.choice(world.communes).code,
            "channel": channel,
            "received_at": iso(received),
            "due_at": iso(due),
            "status": status,
            "suspended_days": 0,
            "supplement_requests": 0,
            "synced_national": rng.random() < 0.93,
            "paid_online": procedure.payment_online
            and (channel == "online" or rng.random() < 0.1)
            and rng.random() < 0.7,
            "digitized": rng.random() < 0.8,
            "data_reused": rng.random() < 0.3,
            "population_data_used": procedure.population_db and rng.random() < 0.7,
            "updated_at": iso(at),
        }
        agency = agency_of(procedure, world.agencies)
        if agency:
            record["agency"] = agency
        self.lives[record["id"]] = life
        return self.follow(record)

    def known_at(self, at: datetime, cutoff: datetime) -> Record | None:
        """A dossier made at ``at`` as ``new`` makes it, as the system knew it at ``cutoff`` (a
        past year for ``ioc57 demo``): its statuses came in evenly between its receipt and ``at``
        and those up to ``cutoff`` are taken, so that one made after ``cutoff`` may still be open
        then. None when it was received after ``cutoff``. It is not followed."""
        record = self.new(at)
        key = record["id"]
        received = datetime.fromisoformat(record["received_at"])
        steps = len(self.lives[key].steps)
        record["updated_at"] = record["received_at"]
        moves = (received + (at - received) * n / steps for n in range(1, steps + 1))
        for moved in itertools.takewhile(lambda t: t <= cutoff, moves):
            record = self.step(key, moved) or record
        self.open.pop(key, None)
        self.forget(key)
        return record if received <= cutoff else None

    def sync_lag(self) -> timedelta:
        """How long after its end a dossier is first sent: minutes mostly, days at times."""
        if self.rng.random() < 0.7:
            return timedelta(minutes=self.rng.uniform(1, 120))
        return timedelta(days=self.rng.uniform(1, 20))

    def life(self, promised: int) -> tuple[Life, float, int]:
        """A dossier's life, the working days the office took (in a long tail over ``promised``)
        and those the applicant spent."""
        rng = self.rng
        taken = promised * rng.lognormvariate(math.log(TAKEN_MEDIAN), TAKEN_SIGMA)
        life, suspended = Life(), 0
        if rng.random() < 0.5:
            life.steps.append(("processing", 0))
        for _ in range(rng.choices(*zip(*SUPPLEMENTS, strict=True))[0]):
            waited = rng.randint(1, 5)
            life.steps += [("supplement", 0), ("processing", waited)]
            suspended += waited
        if rng.random() < SUSPENDED:
            waited = rng.randint(2, 10)
            life.steps += [("suspended", 0), ("processing", waited)]
            suspended += waited
        if not life.steps:
            life.steps.append(("processing", 0))
        life.steps.append((pick(rng, ENDS), 0))
        return life, taken, suspended

    def forget(self, key: str) -> None:
        self.lives.pop(key, None)

    def move(self, record: Record, at: datetime) -> bool:
        rng = self.rng
        life = self.lives[record["id"]]
        status, waited = life.steps.pop(0)
        record["status"] = status
        record["suspended_days"] += waited
        if status == "supplement":
            record["supplement_requests"] += 1
        if status in ("finished", "returned"):
            record["finished_at"] = iso(life.ends_at)
        if status == "finished":
            late = not on_time(record)
            electronic = record["channel"] == "online" or rng.random() < 0.4
            record["result_electronic"] = electronic and rng.random() < 0.85
            record["certified_copy_electronic"] = rng.random() < 0.3
            record["synced_personal_store"] = electronic and rng.random() < 0.5
            record["complaint"] = rng.random() < (0.06 if late else 0.01)
        if life.steps:
            return True
        del self.lives[record["id"]]
        return False
