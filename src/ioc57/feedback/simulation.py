"""Simulated citizen reports (dữ liệu mô phỏng), for ``ioc57 simulate`` and the demo.

Hotline 1022 calls, web and Zalo reports in Vietnamese, placed near commune centres, then moved
through a report's whole life: refused, merged into an earlier report about the same thing, or
forwarded to the agency its category is routed to (``ROUTES``), worked on, information asked of
the citizen, answered (an answer in Vietnamese), published, rated by the citizen — not satisfied,
reopened and answered again — and closed.

``next_status`` draws where a report goes next and ``apply`` takes it there at a given time, so
that the demo can place each step in working days (``feedback.demo``); ``move`` does both at once,
as the live simulator asks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ioc57.ingest.simulation import Generator, Record, iso, pick

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
# what a citizen adds at times: personal data that the public text must not show (``redact``)
SIGNED = [
    " Tôi là {name}, số điện thoại {phone}, mong được phản hồi.",
    " Người phản ánh: {name}, nhà số {house} {hamlet}.",
]
# the agency that answers a category: its code's prefix, before "-<province>" (the demo agencies
# of Đồng Tháp); roads and urban order go to the commune's own committee (UBND-<commune>) where
# it has one in the system
ROUTES = {
    "moi-truong": "SNNMT",
    "nong-nghiep": "SNNMT",
    "y-te": "SYT",
    "an-ninh-trat-tu": "CA",
    "thu-tuc-hanh-chinh": "TTPVHCC",
    "dien-nuoc": "SCT",
    "giao-thong": "VPUBND",
    "do-thi": "VPUBND",
    "khac": "VPUBND",
}
LOCAL = ("giao-thong", "do-thi")
ANSWERS = {
    "moi-truong": "Đơn vị đã phối hợp UBND {commune} kiểm tra hiện trường, yêu cầu thu gom và xử "
    "lý dứt điểm; cơ sở vi phạm đã bị lập biên bản theo quy định.",
    "nong-nghiep": "Cán bộ kỹ thuật đã xuống {commune} hướng dẫn người dân; cống được vận hành "
    "theo lịch đo mặn, đề nghị bà con theo dõi thông báo của địa phương.",
    "y-te": "Sở Y tế đã bổ sung thuốc cho trạm y tế {commune} và chấn chỉnh công tác cung ứng.",
    "an-ninh-trat-tu": "Công an {commune} đã tăng cường tuần tra, nhắc nhở và xử phạt các trường "
    "hợp vi phạm; đề nghị người dân tiếp tục phản ánh khi tái diễn.",
    "thu-tuc-hanh-chinh": "Trung tâm đã kiểm tra hồ sơ, xin lỗi người dân vì trễ hẹn và trả kết "
    "quả; cán bộ liên quan đã được nhắc nhở.",
    "dien-nuoc": "Đơn vị cấp điện, nước đã khắc phục sự cố tại {commune}; lịch tạm ngừng cung "
    "cấp được thông báo trước trên Cổng thông tin.",
    "giao-thong": "Đã giao đơn vị quản lý đường bộ khảo sát và sửa chữa mặt đường, cắm biển cảnh "
    "báo tại {commune}.",
    "do-thi": "UBND {commune} đã kiểm tra, yêu cầu trả lại vỉa hè, sửa chiếu sáng và xử lý công "
    "trình vi phạm theo quy định.",
}
INFO = "Đề nghị người phản ánh cung cấp thêm địa điểm cụ thể và hình ảnh hiện trạng."
REFUSALS = [
    "Nội dung không thuộc thẩm quyền của tỉnh; đã hướng dẫn liên hệ cơ quan có thẩm quyền.",
    "Nội dung không rõ ràng, không có địa điểm cụ thể để xác minh.",
    "Nội dung đang được giải quyết theo thủ tục khiếu nại, tố cáo.",
]
NOT_SATISFIED = [
    "Người dân chưa hài lòng: tình trạng vẫn tiếp diễn sau khi trả lời.",
    "Người dân cho rằng câu trả lời chưa đúng nội dung phản ánh.",
]
CHANNELS_1022 = [("phone", 50), ("web", 20), ("zalo", 20), ("app", 10)]
HAMLETS = ["ấp 1", "ấp 2", "ấp 3", "ấp Bắc", "ấp Nam", "ấp Đông", "ấp Tây", "ấp Chợ", "ấp Mới"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hạnh", "Hoa", "Lan", "Phúc", "Tâm", "Thảo", "Trí", "Nhi"]
DONE = ("refused", "closed", "merged")
SAME_AGAIN = 0.04  # a new report about what a followed one is about (merged, most of them)
# where a report goes from each status, and how often (the rest: ``next_status``)
FROM = {
    "forwarded": [("in_progress", 60), ("info_requested", 5), ("answered", 35)],
    "in_progress": [("answered", 93), ("info_requested", 7)],
    "info_requested": [("answered", 85), ("forwarded", 15)],
    "reopened": [("in_progress", 100)],
    "answered": [("published", 72), ("rated", 20), ("closed", 8)],
    "published": [("rated", 93), ("closed", 7)],
}


def route(category: str, province: str, commune: str | None, agencies: list[str]) -> str | None:
    """The agency a report of ``category`` in ``commune`` is forwarded to, among ``agencies``
    (codes): the commune's committee for its roads and order, else the category's route, else
    the first agency."""
    local = f"UBND-{commune}"
    if category in LOCAL and local in agencies:
        return local
    routed = f"{ROUTES.get(category, ROUTES['khac'])}-{province}"
    if routed in agencies:
        return routed
    return agencies[0] if agencies else None


def _about(record: Record) -> tuple:
    return record["category"], record.get("unit"), record.get("address")


class Reports(Generator):
    """Citizen reports near commune centres, followed until they are closed."""

    record_type = "feedback"
    weight = 2
    pause_s = (3.0, 40.0)

    def __init__(self, world) -> None:
        super().__init__(world)
        self.reopened: set[str] = set()  # reports reopened once: the next rating closes them

    def new(self, at: datetime) -> Record:
        rng = self.rng
        commune = rng.choice(self.world.communes)
        category = rng.choice(list(CATEGORIES))
        hamlet = rng.choice(HAMLETS)
        if self.open and rng.random() < SAME_AGAIN:  # another citizen, about the same thing
            same = rng.choice(list(self.open.values()))
            found = [c for c in self.world.communes if c.code == same.get("unit")]
            if found and same["category"] in CATEGORIES:
                commune, category = found[0], same["category"]
                hamlet = same["address"].split(",")[0]
        text = rng.choice(CATEGORIES[category]).format(place=f"{hamlet}, {commune.name}")
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        phone = f"09{rng.randrange(10**8):08d}"
        if rng.random() < 0.1:
            signed = rng.choice(SIGNED)
            text += signed.format(
                name=name, phone=phone, house=rng.randrange(1, 300), hamlet=hamlet
            )
        return self.follow(
            {
                "id": self.world.mint("PA"),
                "channel": pick(rng, CHANNELS_1022),
                "received_at": iso(at - timedelta(seconds=rng.uniform(0, 600))),
                "category": category,
                "text": text,
                "lat": round(commune.lat + rng.uniform(-0.008, 0.008), 5),
                "lon": round(commune.lon + rng.uniform(-0.008, 0.008), 5),
                "address": f"{hamlet}, {commune.name}",
                "unit": commune.code,
                "status": "received",
                "repeated": rng.random() < 0.05,
                "about_procedure": category == "thu-tuc-hanh-chinh",
                "contact": {"name": name, "phone": phone},
                "updated_at": iso(at),
            }
        )

    def forget(self, key: str) -> None:
        self.reopened.discard(key)

    def duplicate(self, record: Record) -> str | None:
        """An earlier report, still followed, of the same category in the same commune (and the
        same hamlet: about the same thing)."""
        for other in self.open.values():
            if other["id"] == record["id"] or other["status"] == "merged":
                continue
            if _about(other) == _about(record) and other["received_at"] < record["received_at"]:
                return other["id"]
        return None

    def next_status(self, record: Record) -> str:
        """Where ``record`` goes next: a status, or ``rated`` (the citizen rates the answer:
        satisfied closes it, not satisfied reopens it once)."""
        rng, status = self.rng, record["status"]
        if status == "received":
            roll = rng.random()
            if roll < 0.03:
                return "refused"
            roll = rng.random()
            if self.duplicate(record) and roll < 0.6:
                return "merged"
            return "forwarded"
        return pick(rng, FROM[status])

    def apply(self, record: Record, status: str, at: datetime) -> bool:
        """Takes ``record`` to ``status`` (or ``rated``) at ``at``, as the step would; False when
        it is done."""
        rng, key = self.rng, record["id"]
        record.update(status=status, note=None, updated_at=iso(at))
        unit = record.get("unit")
        commune = next((c.name for c in self.world.communes if c.code == unit), "xã")
        if status == "refused":
            record["note"] = rng.choice(REFUSALS)
        elif status == "merged":
            record["duplicate_of"] = self.duplicate(record)
            record["note"] = f"Trùng nội dung với phản ánh {record['duplicate_of']}."
        elif status == "forwarded" and not record.get("agency"):
            record["agency"] = route(
                record["category"], self.world.province, record.get("unit"), self.world.agencies
            )
        elif status == "info_requested":
            record["note"] = INFO
        elif status == "answered":
            answer = ANSWERS.get(record["category"], ANSWERS["do-thi"]).format(commune=commune)
            again = " (trả lời lại sau khi kiểm tra bổ sung)" if key in self.reopened else ""
            record.update(answer=answer + again, answered_at=iso(at), satisfaction=None)
        elif status == "published":
            record["published_at"] = iso(at)
        elif status == "rated":
            satisfied = rng.random() < (0.6 if key in self.reopened else 0.92)
            record["satisfaction"] = "satisfied" if satisfied else "unsatisfied"
            record["status"] = "closed"
            if not satisfied and key not in self.reopened:
                self.reopened.add(key)
                record.update(status="reopened", note=rng.choice(NOT_SATISFIED))
        if record["status"] in DONE:
            self.reopened.discard(key)
            return False
        return True

    def move(self, record: Record, at: datetime) -> bool:
        return self.apply(record, self.next_status(record), at)
