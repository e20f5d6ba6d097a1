"""The simulator: realistic records for one province, sent through the public HTTP API.

It speaks to ioc57 only as a provincial system would — ``GET /api/v1/units`` to learn the
province's communes, ``POST /api/v1/ingest/{type}`` with a source's token — never to the database.
What it sends is simulated data (dữ liệu mô phỏng); ``ioc57 demo`` runs it against the source
``mo-phong``, which is marked ``simulated``.

- ``procedure``: a small catalogue, sent once at the start.
- ``dossier``: received in the province's real communes (and at the province for province-level
  procedures), by channel, with a due date in working days; some arrive days late, as systems
  often sync. Open dossiers are re-sent later with a newer ``updated_at`` as they move on:
  processing, a request for papers, suspension, and finally finished, returned or cancelled.
- ``feedback``: hotline 1022 calls, web and Zalo reports in Vietnamese, placed near commune
  centres, later forwarded, answered and closed with the citizen's satisfaction.
- ``reading``: salinity (‰) at stations in the communes nearest the sea, with the tide's cycles.

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
from datetime import datetime, timedelta
from typing import Any

import httpx
import orjson

from ioc57.core.clock import LOCAL_TZ, now
from ioc57.core.workdays import add_working_days

log = logging.getLogger(__name__)

TYPES = ("procedure", "dossier", "feedback", "reading")
WEIGHTS = {"dossier": 5, "feedback": 2, "reading": 3}  # shares of the rate
TICK_S = (1.0, 5.0)  # seconds between rounds of requests: 1 s, longer for a gentle rate
MAX_RATE = 5_000
MAX_OPEN = 20_000  # open dossiers and reports followed at once; older ones are forgotten

# (code, name, level, online, fee, working days to the result)
PROCEDURES = [
    ("1.001193", "Đăng ký khai sinh", "commune", "full", False, 1),
    ("1.000894", "Đăng ký kết hôn", "commune", "full", False, 3),
    ("2.000815", "Chứng thực bản sao từ bản chính", "commune", "partial", True, 1),
    ("1.004227", "Đăng ký thường trú", "commune", "full", False, 7),
    ("2.000720", "Đăng ký thành lập hộ kinh doanh", "commune", "full", True, 3),
    ("1.009994", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "commune", "partial", True, 15),
    ("1.001009", "Xác nhận tình trạng hôn nhân", "commune", "full", False, 3),
    ("2.001023", "Cấp phiếu lý lịch tư pháp", "province", "full", True, 10),
    ("1.012030", "Đăng ký biến động quyền sử dụng đất", "province", "partial", True, 10),
    ("1.001612", "Cấp giấy phép lái xe (đổi)", "province", "full", True, 5),
    ("2.000291", "Đăng ký thành lập doanh nghiệp", "province", "full", False, 3),
]
CATEGORIES = {
    "moi-truong": [
        "Rác thải sinh hoạt ùn ứ nhiều ngày chưa được thu gom ở {place}.",
        "Cơ sở chăn nuôi xả nước thải ra kênh gây mùi hôi tại {place}.",
        "Đốt rơm rạ gây khói bụi ảnh hưởng khu dân cư {place}.",
    ],
    "giao-thong": [
        "Mặt đường bị sụt lún, nhiều ổ gà nguy hiểm tại {place}.",
        "Đèn tín hiệu giao thông ở ngã tư {place} không hoạt động.",
        "Cầu nông thôn xuống cấp, đề nghị kiểm tra tại {place}.",
    ],
    "do-thi": [
        "Lấn chiếm vỉa hè, lòng đường để buôn bán tại {place}.",
        "Đèn chiếu sáng công cộng bị hỏng nhiều ngày ở {place}.",
        "Xây dựng không phép trên đất nông nghiệp tại {place}.",
    ],
    "dien-nuoc": [
        "Mất nước sinh hoạt kéo dài hai ngày ở {place}.",
        "Cúp điện không báo trước tại {place}.",
        "Nước máy có màu đục, nghi nhiễm mặn ở {place}.",
    ],
    "nong-nghiep": [
        "Nước mặn xâm nhập vào ruộng lúa, đề nghị đóng cống tại {place}.",
        "Sâu bệnh hại trên vườn sầu riêng, cần hỗ trợ kỹ thuật ở {place}.",
    ],
    "an-ninh-trat-tu": [
        "Tụ tập đua xe, gây ồn ào vào ban đêm tại {place}.",
        "Hát karaoke quá giờ quy định, ảnh hưởng người dân ở {place}.",
    ],
    "y-te": ["Trạm y tế thiếu thuốc điều trị tăng huyết áp tại {place}."],
    "thu-tuc-hanh-chinh": [
        "Hồ sơ đăng ký biến động đất đai trễ hẹn, chưa được thông báo lý do tại {place}.",
        "Cán bộ một cửa yêu cầu bổ sung giấy tờ nhiều lần khi làm thủ tục ở {place}.",
        "Cổng dịch vụ công báo lỗi khi nộp hồ sơ trực tuyến tại {place}.",
    ],
}
CHANNELS_1022 = [("phone", 50), ("web", 20), ("zalo", 20), ("app", 10)]
HAMLETS = ["ấp 1", "ấp 2", "ấp 3", "ấp Bắc", "ấp Nam", "ấp Đông", "ấp Tây", "ấp Chợ", "ấp Mới"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hạnh", "Hoa", "Lan", "Phúc", "Tâm", "Thảo", "Trí", "Nhi"]
M2_H = 12.42  # the principal semi-diurnal tide, hours
K1_H = 23.93  # the principal diurnal tide, hours


class SimulatorError(Exception):
    """The simulator cannot go on; ``bad_input`` when the cause is how it was called."""

    def __init__(self, message: str, *, bad_input: bool = False) -> None:
        super().__init__(message)
        self.bad_input = bad_input


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    short: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Station:
    code: str
    commune: Commune
    base: float  # mean salinity, ‰
    phase: float


@dataclass
class Stats:
    sent: Counter = field(default_factory=Counter)
    batches: int = 0
    failures: int = 0
    counts: Counter = field(default_factory=Counter)
    first_rejections: list[dict] = field(default_factory=list)

    def add(self, record_type: str, count: int, answer: dict) -> None:
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


def _iso(value: datetime) -> str:
    return value.astimezone(LOCAL_TZ).isoformat(timespec="milliseconds")


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


class Simulator:
    """Builds and sends the records; ``client`` carries the base URL and the source's token."""

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
        unknown = [t for t in types if t not in TYPES]
        if unknown or not types:
            raise SimulatorError(
                f"types: the simulator sends {', '.join(TYPES)}, not {', '.join(unknown) or '-'}",
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
        self.turn = 0  # the station whose reading is next
        self.communes: list[Commune] = []
        self.agencies: list[str] = []
        self.stations: list[Station] = []
        self.open_dossiers: dict[str, dict] = {}
        self.open_feedback: dict[str, dict] = {}
        self._due: list[tuple[float, str, str]] = []  # (monotonic time, type, id) of the next step
        self._carry: dict[str, float] = {}
        self.stats = Stats()

    # -- the province -----------------------------------------------------------------------------

    def load_units(self) -> None:
        """The province's communes (with their centres) and agencies, from the public API."""
        items = self._units({"parent": self.province, "level": "commune", "limit": 1000})
        self.communes = [
            Commune(i["code"], i["name"], i.get("short_name") or i["name"], i["lat"], i["lon"])
            for i in items
            if i.get("lat") is not None and i.get("lon") is not None
        ]
        if not self.communes:
            raise SimulatorError(
                f"province: no communes with a known centre under {self.province!r}",
                bad_input=True,
            )
        agencies = self._units({"parent": self.province, "level": "agency", "limit": 1000})
        self.agencies = [i["code"] for i in agencies]
        self.stations = self._place_stations()

    def _units(self, params: dict) -> list[dict]:
        try:
            r = self.client.get("/api/v1/units", params=params)
        except httpx.TransportError as exc:
            raise SimulatorError(f"cannot reach {self.client.base_url}: {exc}") from None
        if r.status_code == 422:
            raise SimulatorError(f"province: no unit has code {self.province!r}", bad_input=True)
        if r.status_code != 200:
            raise SimulatorError(f"GET /api/v1/units answered {r.status_code}: {r.text[:300]}")
        return r.json()["items"]

    def _place_stations(self) -> list[Station]:
        """Salinity stations in the communes nearest the sea (the delta's coast faces east)."""
        by_lon = sorted(self.communes, key=lambda c: -c.lon)
        chosen = by_lon[:6] + by_lon[12:13] + by_lon[24:25]
        coast = by_lon[0].lon
        stations = []
        for commune in chosen:
            base = 0.4 + 11.0 * math.exp(-(coast - commune.lon) / 0.12)
            stations.append(
                Station(
                    f"MAN-{commune.code}", commune, round(base, 2), self.rng.uniform(0, 2 * math.pi)
                )
            )
        return stations

    # -- records ----------------------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.province}-{self.run_id}-{self.serial:07d}"

    def _later(self, record_type: str, key: str, low: float, high: float) -> None:
        heapq.heappush(
            self._due,
            (time.monotonic() + self.pace * self.rng.uniform(low, high), record_type, key),
        )

    def procedures(self, at: datetime) -> list[dict]:
        out = []
        for code, name, level, online, fee, _days in PROCEDURES:
            out.append(
                {
                    "id": code,
                    "name": name,
                    "unit": self.province,
                    "level": level,
                    "online": online,
                    "fee": fee,
                    "payment_online": fee and online == "full",
                    "population_db": level == "commune",
                    "effective_date": "2025-07-01",
                    "published_date": "2025-06-25",
                    "full_content": True,
                    "changes": [],
                    "updated_at": _iso(at),
                }
            )
        return out

    def new_dossier(self, at: datetime) -> dict:
        rng = self.rng
        code, _name, level, online, fee, days = rng.choice(PROCEDURES)
        if rng.random() < 0.3:  # sent days late, as many systems sync
            received = at - timedelta(days=rng.uniform(1, 20))
        else:
            received = at - timedelta(seconds=rng.uniform(0, 1800))
        local = received.astimezone(LOCAL_TZ)
        due = add_working_days(local, days).replace(hour=17, minute=0, second=0, microsecond=0)
        due = max(due, local + timedelta(hours=1))
        channel = _pick(
            rng, [("online", 60 if online == "full" else 25), ("direct", 40), ("postal", 3)]
        )
        record = {
            "id": self._id("HS"),
            "procedure": code,
            "unit": self.province if level == "province" else rng.choice(self.communes).code,
            "channel": channel,
            "received_at": _iso(received),
            "due_at": _iso(due),
            "status": "received" if rng.random() < 0.8 else "processing",
            "suspended_days": 0,
            "supplement_requests": 0,
            "synced_national": rng.random() < 0.9,
            "paid_online": fee and channel == "online" and rng.random() < 0.6,
            "digitized": rng.random() < 0.8,
            "data_reused": rng.random() < 0.3,
            "population_data_used": level == "commune" and rng.random() < 0.6,
            "updated_at": _iso(at),
        }
        if level == "province" and self.agencies:
            record["agency"] = rng.choice(self.agencies)
        self._follow(self.open_dossiers, "dossier", record)
        return record

    def advance_dossier(self, key: str, at: datetime) -> dict | None:
        record = self.open_dossiers.get(key)
        if record is None:
            return None
        record = dict(record)
        rng = self.rng
        roll = rng.random()
        if record["status"] in ("supplement", "suspended"):
            record["status"] = "processing"
        elif record["status"] == "received":
            if roll < 0.08:
                record["status"] = "supplement"
                record["supplement_requests"] += 1
            elif roll < 0.12:
                record["status"] = "suspended"
                record["suspended_days"] += rng.randint(1, 3)
            else:
                record["status"] = "processing"
        elif roll < 0.03:
            record["status"] = "cancelled"
        elif roll < 0.07:
            record["status"] = "returned"
            record["finished_at"] = _iso(at)
        else:
            record["status"] = "finished"
            record["finished_at"] = _iso(at)
            electronic = record["channel"] == "online" or rng.random() < 0.4
            record["result_electronic"] = electronic and rng.random() < 0.85
            record["certified_copy_electronic"] = rng.random() < 0.3
            record["synced_personal_store"] = electronic and rng.random() < 0.5
            record["complaint"] = rng.random() < 0.01
        record["updated_at"] = _iso(at)
        if record["status"] in ("finished", "returned", "cancelled"):
            del self.open_dossiers[key]
        else:
            self.open_dossiers[key] = record
            self._later("dossier", key, 3, 30)
        return record

    def new_feedback(self, at: datetime) -> dict:
        rng = self.rng
        commune = rng.choice(self.communes)
        category = rng.choice(list(CATEGORIES))
        hamlet = rng.choice(HAMLETS)
        text = rng.choice(CATEGORIES[category]).format(place=f"{hamlet}, {commune.name}")
        record = {
            "id": self._id("PA"),
            "channel": _pick(rng, CHANNELS_1022),
            "received_at": _iso(at - timedelta(seconds=rng.uniform(0, 600))),
            "category": category,
            "text": text,
            "lat": round(commune.lat + rng.uniform(-0.008, 0.008), 5),
            "lon": round(commune.lon + rng.uniform(-0.008, 0.008), 5),
            "address": f"{hamlet}, {commune.name}",
            "unit": commune.code,
            "status": "received",
            "repeated": rng.random() < 0.05,
            "about_procedure": category == "thu-tuc-hanh-chinh",
            "contact": {
                "name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                "phone": f"09{rng.randrange(10**8):08d}",
            },
            "updated_at": _iso(at),
        }
        self._follow(self.open_feedback, "feedback", record)
        return record

    def advance_feedback(self, key: str, at: datetime) -> dict | None:
        record = self.open_feedback.get(key)
        if record is None:
            return None
        record = dict(record)
        rng = self.rng
        status = record["status"]
        if status == "received":
            if rng.random() < 0.03:
                record["status"] = "refused"
            else:
                record["status"] = "forwarded"
                if self.agencies and rng.random() < 0.5:
                    record["agency"] = rng.choice(self.agencies)
        elif status == "forwarded":
            record["status"] = "in_progress"
        elif status == "in_progress":
            record["status"] = "answered"
            record["answered_at"] = _iso(at)
        elif status == "answered":
            if rng.random() < 0.3:
                record["status"] = "published"
                record["published_at"] = _iso(at)
            else:
                record["status"] = "closed"
                record["satisfaction"] = "satisfied" if rng.random() < 0.75 else "unsatisfied"
        else:  # published
            record["status"] = "closed"
            record["satisfaction"] = "satisfied" if rng.random() < 0.8 else "unsatisfied"
        record["updated_at"] = _iso(at)
        if record["status"] in ("refused", "closed"):
            del self.open_feedback[key]
        else:
            self.open_feedback[key] = record
            self._later("feedback", key, 3, 40)
        return record

    def reading(self, station: Station, at: datetime) -> dict:
        hours = at.timestamp() / 3600
        day_of_year = at.timetuple().tm_yday
        season = 1 + 0.5 * math.cos(2 * math.pi * (day_of_year - 75) / 365)  # highest in March
        tide = (
            1
            + 0.35 * math.sin(2 * math.pi * hours / M2_H + station.phase)
            + 0.15 * math.sin(2 * math.pi * hours / K1_H + station.phase / 2)
        )
        value = station.base * season * tide + self.rng.gauss(0, 0.03 * station.base)
        observed = _iso(at)
        return {
            "id": f"{station.code}:salinity:{observed}",
            "station": station.code,
            "metric": "salinity",
            "value": round(max(value, 0.05), 2),
            "uom": "ppt",
            "observed_at": observed,
            "updated_at": observed,
        }

    def _follow(self, store: dict[str, dict], record_type: str, record: dict) -> None:
        if len(store) >= MAX_OPEN:
            store.pop(next(iter(store)))
        store[record["id"]] = record
        self._later(record_type, record["id"], 2, 20)

    # -- a tick's worth ---------------------------------------------------------------------------

    def share(self, total: float) -> dict[str, int]:
        """How many records of each type this tick, carrying the fractions over."""
        kinds = [t for t in self.types if t in WEIGHTS]
        weight = sum(WEIGHTS[t] for t in kinds)
        out = {}
        for kind in kinds:
            self._carry[kind] = self._carry.get(kind, 0.0) + total * WEIGHTS[kind] / weight
            out[kind] = int(self._carry[kind])
            self._carry[kind] -= out[kind]
        return out

    def batch(self, total: float, at: datetime | None = None) -> dict[str, list[dict]]:
        at = at or self.clock()
        wanted = self.share(total)
        out: dict[str, list[dict]] = {kind: [] for kind in wanted}
        # steps that are due, at most half of each type's share
        room = {kind: n // 2 for kind, n in wanted.items()}
        now_m = time.monotonic()
        postponed, stepped = [], set()
        while self._due and self._due[0][0] <= now_m:
            due_at, kind, key = heapq.heappop(self._due)
            if room.get(kind, 0) <= 0 or key in stepped:  # one step per record and batch
                postponed.append((due_at, kind, key))
                if all(v <= 0 for v in room.values()):
                    break
                continue
            step = self.advance_dossier if kind == "dossier" else self.advance_feedback
            record = step(key, at)
            stepped.add(key)
            if record is not None:
                out[kind].append(record)
                room[kind] -= 1
        for item in postponed:
            heapq.heappush(self._due, item)
        for kind, n in wanted.items():
            fresh = n - len(out[kind])
            for i in range(fresh):
                if kind == "dossier":
                    out[kind].append(self.new_dossier(at))
                elif kind == "feedback":
                    out[kind].append(self.new_feedback(at))
                else:
                    station = self.stations[self.turn % len(self.stations)]
                    self.turn += 1
                    out[kind].append(self.reading(station, at - timedelta(milliseconds=i)))
        return {kind: records for kind, records in out.items() if records}

    # -- sending ----------------------------------------------------------------------------------

    def send(self, record_type: str, records: list[dict]) -> dict | None:
        body = orjson.dumps(records)
        try:
            r = self.client.post(
                f"/api/v1/ingest/{record_type}",
                content=body,
                headers={"Content-Type": "application/json"},
            )
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
        answer = r.json()
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
        if not self.communes:
            self.load_units()
        if "procedure" in self.types:
            self.send("procedure", self.procedures(self.clock()))
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
DEMO_TYPES = ["procedure", "dossier", "feedback", "reading"]
DEMO_RATE = 5.0


def demo_source_token(conn: Any, province: str, today: Any) -> str:
    """The demo's simulated source ``mo-phong`` (created once) and a fresh token for it."""
    from ioc57.accounts.service import create_token
    from ioc57.ingest.sources import create_source, get_row

    row = get_row(conn, DEMO_SOURCE)
    if row is None:
        _item, token = create_source(
            conn,
            actor="ioc57-demo",
            name=DEMO_SOURCE,
            title=DEMO_TITLE,
            types=DEMO_TYPES,
            units=[province],
            today=today,
            simulated=True,
        )
        return token
    return create_token(
        conn, actor="ioc57-demo", username=f"src.{DEMO_SOURCE}", name=f"source {DEMO_SOURCE}"
    )
