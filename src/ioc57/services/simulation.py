"""Simulated procedures and dossiers (dữ liệu mô phỏng), for ``ioc57 simulate`` and the demo.

- ``procedure``: a small catalogue, sent once at the start.
- ``dossier``: received in the province's real communes (and at the province for province-level
  procedures), by channel, with a due date in working days; some arrive days late, as systems
  often sync. Open dossiers are sent again later with a newer ``updated_at`` as they move on:
  processing, a request for papers, suspension, and finally finished, returned or cancelled.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from ioc57.core.clock import LOCAL_TZ
from ioc57.core.workdays import add_working_days
from ioc57.ingest.simulation import Generator, Record, iso, pick

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
CLOSING = time(17)  # a dossier is due by the end of the office day


class ProcedureCatalogue(Generator):
    """The procedures of ``PROCEDURES``, in force in the province; sent once at the start."""

    record_type = "procedure"

    def start(self, at: datetime) -> list[Record]:
        return [
            {
                "id": code,
                "name": name,
                "unit": self.world.province,
                "level": level,
                "online": online,
                "fee": fee,
                "payment_online": fee and online == "full",
                "population_db": level == "commune",
                "effective_date": "2025-07-01",
                "published_date": "2025-06-25",
                "full_content": True,
                "changes": [],
                "updated_at": iso(at),
            }
            for code, name, level, online, fee, _days in PROCEDURES
        ]


class Dossiers(Generator):
    """Dossiers of the catalogue's procedures, followed until they are done."""

    record_type = "dossier"
    weight = 5

    def new(self, at: datetime) -> Record:
        rng, world = self.rng, self.world
        code, _name, level, online, fee, days = rng.choice(PROCEDURES)
        if rng.random() < 0.3:  # sent days late, as many systems sync
            received = at - timedelta(days=rng.uniform(1, 20))
        else:
            received = at - timedelta(seconds=rng.uniform(0, 1800))
        local = received.astimezone(LOCAL_TZ)
        due_day = add_working_days(local.date(), days)
        due = max(datetime.combine(due_day, CLOSING, LOCAL_TZ), local + timedelta(hours=1))
        channel = pick(
            rng, [("online", 60 if online == "full" else 25), ("direct", 40), ("postal", 3)]
        )
        record = {
            "id": world.mint("HS"),
            "procedure": code,
            "unit": world.province if level == "province" else rng.choice(world.communes).code,
            "channel": channel,
            "received_at": iso(received),
            "due_at": iso(due),
            "status": "received" if rng.random() < 0.8 else "processing",
            "suspended_days": 0,
            "supplement_requests": 0,
            "synced_national": rng.random() < 0.9,
            "paid_online": fee and channel == "online" and rng.random() < 0.6,
            "digitized": rng.random() < 0.8,
            "data_reused": rng.random() < 0.3,
            "population_data_used": level == "commune" and rng.random() < 0.6,
            "updated_at": iso(at),
        }
        if level == "province" and world.agencies:
            record["agency"] = rng.choice(world.agencies)
        return self.follow(record)

    def move(self, record: Record, at: datetime) -> bool:
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
            record["finished_at"] = iso(at)
        else:
            record["status"] = "finished"
            record["finished_at"] = iso(at)
            electronic = record["channel"] == "online" or rng.random() < 0.4
            record["result_electronic"] = electronic and rng.random() < 0.85
            record["certified_copy_electronic"] = rng.random() < 0.3
            record["synced_personal_store"] = electronic and rng.random() < 0.5
            record["complaint"] = rng.random() < 0.01
        return record["status"] not in ("finished", "returned", "cancelled")
