"""The simulator: realistic records for one province, sent through the public HTTP API.

It speaks to ioc57 only as a provincial system would — ``GET /api/v1/units`` to learn the
province's communes, ``POST /api/v1/ingest/{type}`` with a source's token — never to the database.
What it sends is simulated data (dữ liệu mô phỏng); ``ioc57 demo`` runs it against the source
``mo-phong``, which is marked ``simulated``.

It knows no record type: the modules' generators (``ingest.simulation``) make the records. At the
start it sends each type's first records (a catalogue); then, every tick, it shares the rate among
the types by their weights and fills each type's share with the due steps of the records its
generator follows (at most half of the share, one step per record and batch) and new records.
Every record carries an explicit ``updated_at``.
"""

from __future__ import annotations

import contextlib
import heapq
import logging
import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import httpx
import orjson

from ioc57.core.clock import now
from ioc57.ingest import simulation
from ioc57.ingest.simulation import Generator, Record, World

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

TICK_S = (1.0, 5.0)  # seconds between rounds of requests: 1 s, longer for a gentle rate
MAX_RATE = 5_000
JSON = {"Content-Type": "application/json"}


class SimulatorError(Exception):
    """The simulator cannot go on; ``bad_input`` when the cause is how it was called."""

    def __init__(self, message: str, *, bad_input: bool = False) -> None:
        super().__init__(message)
        self.bad_input = bad_input


@dataclass
class Stats:
    sent: Counter[str] = field(default_factory=Counter)
    batches: int = 0
    failures: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    first_rejections: list[dict[str, Any]] = field(default_factory=list)

    def add(self, record_type: str, count: int, answer: dict[str, Any]) -> None:
        self.sent[record_type] += count
        self.batches += 1
        for key in ("accepted", "updated", "unchanged", "stale"):
            self.counts[key] += answer.get(key, 0)
        rejected = answer.get("rejected") or []
        self.counts["rejected"] += answer.get("rejected_total", len(rejected))
        room = 5 - len(self.first_rejections)
        self.first_rejections.extend({"type": record_type} | r for r in rejected[: max(room, 0)])

    def summary(self) -> str:
        sent = ", ".join(f"{t} {n}" for t, n in sorted(self.sent.items())) or "nothing"
        counts = ", ".join(
            f"{k} {self.counts[k]}"
            for k in ("accepted", "updated", "unchanged", "stale", "rejected")
        )
        line = f"sent {sent} in {self.batches} batches: {counts}"
        if self.failures:
            line += f"; {self.failures} requests failed"
        return line + " (dữ liệu mô phỏng)"


class Simulator:
    """Drives the generators of ``types`` and sends their records; ``client`` carries the base
    URL and the source's token."""

    def __init__(
        self,
        client: httpx.Client,
        province: str,
        types: list[str],
        rate: float,
        *,
        seed: int | None = None,
        clock: Callable[[], datetime] | None = None,
        pace: float = 1.0,
    ) -> None:
        known = simulation.generators()
        unknown = [t for t in types if t not in known]
        if unknown or not types:
            raise SimulatorError(
                f"types: the simulator sends {', '.join(known) or 'nothing'},"
                f" not {', '.join(unknown) or '-'}",
                bad_input=True,
            )
        if not 0 < rate <= MAX_RATE:
            raise SimulatorError(f"rate: between 0 and {MAX_RATE} records a second", bad_input=True)
        self.client = client
        self.province = province
        self.types = list(dict.fromkeys(types))
        self.rate = rate
        self.rng = random.Random(seed)
        self.clock = clock or now
        self.pace = pace  # scales the seconds between a record's steps (0: due at once)
        self.run_id = f"{self.rng.getrandbits(24):06x}"
        self.serial = 0
        self.world = World(province, self.rng, self._mint, self._later)
        self.kinds = {t: known[t] for t in self.types}
        self.generators: dict[str, Generator] = {}  # by type, made once the units are loaded
        # per type, (monotonic time, id) of the followed records' next steps, soonest first
        self._due: dict[str, list[tuple[float, str]]] = {t: [] for t in self.types}
        self._carry: dict[str, float] = {}
        self.stats = Stats()

    # -- the province -----------------------------------------------------------------------------

    def load_units(self) -> None:
        """The province's communes (with their centres) and agencies, from the public API; then
        the generators of the run, which place what they need in them."""
        communes = self._units({"parent": self.province, "level": "commune", "limit": 1000})
        agencies = self._units({"parent": self.province, "level": "agency", "limit": 1000})
        self.world.settle(communes, agencies)
        if not self.world.communes:
            raise SimulatorError(
                f"province: no communes with a known centre under {self.province!r}",
                bad_input=True,
            )
        self.generators = {t: kind(self.world) for t, kind in self.kinds.items()}

    def _units(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            r = self.client.get("/api/v1/units", params=params)
        except httpx.TransportError as exc:
            raise SimulatorError(f"cannot reach {self.client.base_url}: {exc}") from None
        if r.status_code == 422:
            raise SimulatorError(f"province: no unit has code {self.province!r}", bad_input=True)
        if r.status_code != 200:
            raise SimulatorError(f"GET /api/v1/units answered {r.status_code}: {r.text[:300]}")
        return list(r.json()["items"])

    def _mint(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.province}-{self.run_id}-{self.serial:07d}"

    def _later(self, record_type: str, key: str, seconds: float) -> None:
        heapq.heappush(self._due[record_type], (time.monotonic() + self.pace * seconds, key))

    # -- a tick's worth ---------------------------------------------------------------------------

    def share(self, total: float) -> dict[str, int]:
        """How many records of each type this tick, by weight, carrying the fractions over."""
        weights = {t: kind.weight for t, kind in self.kinds.items() if kind.weight > 0}
        whole = sum(weights.values())
        out = {}
        for kind, weight in weights.items():
            self._carry[kind] = self._carry.get(kind, 0.0) + total * weight / whole
            out[kind] = int(self._carry[kind])
            self._carry[kind] -= out[kind]
        return out

    def steps(self, record_type: str, room: int, at: datetime) -> list[Record]:
        """Up to ``room`` due steps of the records of one type, one per record; what is popped is
        stepped or dropped, but for a record already stepped in this batch (due again at once)."""
        due, now_m = self._due[record_type], time.monotonic()
        generator = self.generators[record_type]
        out: list[Record] = []
        stepped: set[str] = set()
        again = []
        while len(out) < room and due and due[0][0] <= now_m:
            item = heapq.heappop(due)
            if item[1] in stepped:
                again.append(item)
                continue
            stepped.add(item[1])
            record = generator.step(item[1], at)
            if record is not None:
                out.append(record)
        for item in again:
            heapq.heappush(due, item)
        return out

    def batch(self, total: float, at: datetime | None = None) -> dict[str, list[Record]]:
        """The records of a tick of ``total`` records: due steps (at most half of each type's
        share), then new records."""
        at = at or self.clock()
        out = {}
        for kind, n in self.share(total).items():
            records = self.steps(kind, n // 2, at)
            generator = self.generators[kind]
            records += [generator.new(at) for _ in range(n - len(records))]
            if records:
                out[kind] = records
        return out

    def begin(self, at: datetime | None = None) -> dict[str, dict[str, Any] | None]:
        """Sends the records each type sends once at the start; the answers, by type."""
        at = at or self.clock()
        answers = {}
        for kind, generator in self.generators.items():
            records = generator.start(at)
            if records:
                answers[kind] = self.send(kind, records)
        return answers

    # -- sending ----------------------------------------------------------------------------------

    def send(self, record_type: str, records: list[Record]) -> dict[str, Any] | None:
        """POSTs one batch; its answer, or None when the request failed (counted in ``stats``)."""
        body = orjson.dumps(records)
        try:
            r = self.client.post(f"/api/v1/ingest/{record_type}", content=body, headers=JSON)
        except httpx.TransportError as exc:
            self.stats.failures += 1
            log.warning("simulator: POST %s failed: %s", record_type, exc)
            return None
        if r.status_code in (401, 403, 404):
            detail = r.json().get("detail", r.text) if r.content else r.reason_phrase
            hint = (
                " (the token is unknown or revoked)"
                if r.status_code == 401
                else f" (the source needs the types {', '.join(self.types)} and the units of"
                f" province {self.province})"
            )
            raise SimulatorError(f"token: {detail}{hint}", bad_input=True)
        if r.status_code != 200:
            self.stats.failures += 1
            log.warning("simulator: POST %s answered %s: %s", record_type, r.status_code, r.text)
            return None
        answer: dict[str, Any] = r.json()
        self.stats.add(record_type, len(records), answer)
        return answer

    def run(
        self,
        duration: float | None = None,
        stop: threading.Event | None = None,
        echo: Callable[[str], Any] | None = None,
        report_every: float = 10.0,
    ) -> Stats:
        """Send ``rate`` records a second until ``duration`` is over or ``stop`` is set."""
        stop = stop or threading.Event()
        if not self.generators:
            self.load_units()
        self.begin()
        start = time.monotonic()
        end = start + duration if duration is not None else math.inf
        tick = min(max(TICK_S[0], 20 / self.rate), TICK_S[1])  # about 20 records a round
        next_tick = start
        last_report = start
        while not stop.is_set() and time.monotonic() < end:
            for record_type, records in self.batch(self.rate * tick).items():
                self.send(record_type, records)
            if echo and time.monotonic() - last_report >= report_every:
                echo(self.stats.summary())
                last_report = time.monotonic()
            next_tick += tick
            wait = min(next_tick, end) - time.monotonic()
            if wait > 0:
                stop.wait(wait)
            else:
                next_tick = time.monotonic()  # behind: carry on without a burst
        return self.stats


def client_for(url: str, token: str, timeout: float = 30.0) -> httpx.Client:
    return httpx.Client(
        base_url=url.rstrip("/"),
        headers={"Authorization": f"Bearer {token}", "User-Agent": "ioc57-simulator"},
        timeout=timeout,
    )


def run_simulator(
    url: str,
    token: str,
    province: str,
    types: list[str],
    rate: float,
    *,
    duration: float | None = None,
    seed: int | None = None,
    stop: threading.Event | None = None,
    echo: Callable[[str], Any] | None = None,
) -> Stats:
    """Simulate against the ioc57 at ``url`` until ``duration`` is over, ``stop`` is set or Ctrl-C."""
    with client_for(url, token) as client:
        simulator = Simulator(client, province, types, rate, seed=seed)
        if echo:
            echo(
                f"simulating {', '.join(simulator.types)} for province {province} at {rate:g}"
                f" records/s against {url} (dữ liệu mô phỏng)"
            )
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C ends a run with its summary
            simulator.run(duration, stop, echo)
        return simulator.stats


def wait_until_up(url: str, stop: threading.Event, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            if httpx.get(f"{url.rstrip('/')}/healthz", timeout=2).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        stop.wait(0.5)
    return False


def start_in_background(
    url: str, token: str, province: str, types: list[str], rate: float
) -> tuple[threading.Thread, threading.Event]:
    """Run the simulator gently in a daemon thread once the server at ``url`` answers."""
    stop = threading.Event()

    def work() -> None:
        if not wait_until_up(url, stop):
            log.warning("simulator: %s did not come up; no simulated data is sent", url)
            return
        try:
            run_simulator(url, token, province, types, rate, stop=stop)
        except SimulatorError as exc:
            log.warning("simulator stopped: %s", exc)
        except Exception:
            log.exception("simulator stopped")

    thread = threading.Thread(target=work, name="ioc57-simulator", daemon=True)
    thread.start()
    return thread, stop


# -- ioc57 demo --------------------------------------------------------------------------------------

DEMO_SOURCE = "mo-phong"
DEMO_TITLE = "Dữ liệu mô phỏng"
DEMO_RATE = 5.0


def demo_source(conn: Connection, province: str, today: date) -> tuple[Any, str | None]:
    """The demo's simulated source ``mo-phong``, for every simulated record type: its row, and
    its first token when it was created just now."""
    from ioc57.ingest.sources import create_source, get_row

    row = get_row(conn, DEMO_SOURCE)
    if row is not None:
        return row, None
    _item, token = create_source(
        conn,
        actor="ioc57-demo",
        name=DEMO_SOURCE,
        title=DEMO_TITLE,
        types=simulation.types(),
        units=[province],
        today=today,
        simulated=True,
    )
    return get_row(conn, DEMO_SOURCE), token


def demo_source_token(conn: Connection, province: str, today: date) -> str:
    """The demo's simulated source (created once) and a fresh token for it."""
    from ioc57.accounts.service import create_token

    _row, token = demo_source(conn, province, today)
    return token or create_token(
        conn, actor="ioc57-demo", username=f"src.{DEMO_SOURCE}", name=f"source {DEMO_SOURCE}"
    )
