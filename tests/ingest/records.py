"""Records of every type, as a provincial system would send them (helpers for the tests)."""

from __future__ import annotations

DVC = {"name": "dvc-82", "types": ["procedure", "dossier"], "units": ["82"]}


def dossier(n: int = 1, **changes) -> dict:
    record = {
        "id": f"HS-{n}",
        "procedure": "1.001234",
        "unit": "28261",
        "channel": "online",
        "received_at": "2025-09-01T08:00:00+07:00",
        "due_at": "2025-09-10T17:00:00+07:00",
        "status": "received",
        "synced_national": True,
        "updated_at": "2025-09-01T08:00:00+07:00",
    }
    return record | changes


def finished(n: int = 1, **changes) -> dict:
    return (
        dossier(
            n,
            status="finished",
            finished_at="2025-09-09T10:00:00+07:00",
            updated_at="2025-09-09T10:00:00+07:00",
            result_electronic=True,
        )
        | changes
    )


def procedure(n: int = 1, **changes) -> dict:
    record = {
        "id": f"1.00{n}",
        "name": "Cấp giấy phép xây dựng",
        "unit": "82",
        "level": "province",
        "online": "full",
        "fee": True,
        "payment_online": True,
        "population_db": False,
        "effective_date": "2025-07-01",
        "published_date": "2025-06-20",
        "full_content": True,
        "changes": [{"changed_date": "2025-08-01", "published_date": "2025-08-04"}],
        "updated_at": "2025-07-01T00:00:00+07:00",
    }
    return record | changes


def feedback(n: int = 1, **changes) -> dict:
    record = {
        "id": f"PA-{n}",
        "channel": "phone",
        "received_at": "2025-09-02T09:30:00+07:00",
        "category": "moi-truong",
        "text": "Rác thải ùn ứ trên đường Lê Lợi",
        "lat": 10.3501,
        "lon": 106.375,
        "status": "answered",
        "answered_at": "2025-09-04T09:30:00+07:00",
        "about_procedure": False,
        "contact": {"name": "Nguyễn Văn A", "phone": "0909000000"},
        "updated_at": "2025-09-04T09:30:00+07:00",
    }
    return record | changes


def reading(n: int = 1, **changes) -> dict:
    record = {
        "station": "MT-01",
        "metric": "salinity",
        "value": 2.5 + n / 10,
        "uom": "ppt",
        "observed_at": f"2025-03-01T{n % 24:02d}:00:00+07:00",
    }
    return record | changes


def observation(**changes) -> dict:
    record = {
        "indicator": "online_dossier_rate",
        "unit": "82",
        "period": "2024",
        "numerator": 388880,
        "denominator": 722154,
        "source": "000_4708605e53e133ba.txt: 388.880 hồ sơ trực tuyến (53,85%)",
    }
    return record | changes
