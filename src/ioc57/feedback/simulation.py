"""Simulated citizen reports (dữ liệu mô phỏng), for ``ioc57 simulate`` and the demo.

Hotline 1022 calls, web and Zalo reports in Vietnamese, placed near commune centres, later
forwarded, answered and closed with the citizen's satisfaction.
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
CHANNELS_1022 = [("phone", 50), ("web", 20), ("zalo", 20), ("app", 10)]
HAMLETS = ["ấp 1", "ấp 2", "ấp 3", "ấp Bắc", "ấp Nam", "ấp Đông", "ấp Tây", "ấp Chợ", "ấp Mới"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hạnh", "Hoa", "Lan", "Phúc", "Tâm", "Thảo", "Trí", "Nhi"]


class Reports(Generator):
    """Citizen reports near commune centres, followed until they are closed."""

    record_type = "feedback"
    weight = 2
    pause_s = (3.0, 40.0)

    def new(self, at: datetime) -> Record:
        rng = self.rng
        commune = rng.choice(self.world.communes)
        category = rng.choice(list(CATEGORIES))
        hamlet = rng.choice(HAMLETS)
        text = rng.choice(CATEGORIES[category]).format(place=f"{hamlet}, {commune.name}")
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
                "contact": {
                    "name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                    "phone": f"09{rng.randrange(10**8):08d}",
                },
                "updated_at": iso(at),
            }
        )

    def move(self, record: Record, at: datetime) -> bool:
        rng, agencies = self.rng, self.world.agencies
        status = record["status"]
        if status == "received":
            if rng.random() < 0.03:
                record["status"] = "refused"
            else:
                record["status"] = "forwarded"
                if agencies and rng.random() < 0.5:
                    record["agency"] = rng.choice(agencies)
        elif status == "forwarded":
            record["status"] = "in_progress"
        elif status == "in_progress":
            record["status"] = "answered"
            record["answered_at"] = iso(at)
        elif status == "answered":
            if rng.random() < 0.3:
                record["status"] = "published"
                record["published_at"] = iso(at)
            else:
                record["status"] = "closed"
                record["satisfaction"] = "satisfied" if rng.random() < 0.75 else "unsatisfied"
        else:  # published
            record["status"] = "closed"
            record["satisfaction"] = "satisfied" if rng.random() < 0.8 else "unsatisfied"
        return record["status"] not in ("refused", "closed")
