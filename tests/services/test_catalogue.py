"""The procedure catalogue: the procedures a unit runs, the latest version of each, with dossier
counts and on-time rates computed by hand below."""

import pytest

from ..ingest.records import dossier, procedure
from ..support.http import auth
from ..support.services import AGENCY

PROCEDURES = [
    procedure(
        id="1.001",
        name="Đăng ký khai sinh",
        level="commune",
        online="full",
        fee=False,
        payment_online=False,
        population_db=True,
    ),
    # a newer version of 1.001: the catalogue shows it
    procedure(
        id="1.001",
        name="Đăng ký khai sinh (liên thông)",
        level="commune",
        online="full",
        fee=False,
        payment_online=False,
        population_db=True,
        updated_at="2025-08-01T00:00:00+07:00",
    ),
    procedure(id="2.002", name="Chứng thực bản sao", level="commune", online="partial", fee=True),
    procedure(id="1.010", name="Cấp phiếu lý lịch tư pháp", level="province", agency=AGENCY),
]


def hs(n, code, received, finished=None, due=None, **changes):
    """A dossier received at 08:00 local time on the day ``received`` (due at 17:00 that day
    unless ``due`` says), finished at 10:00 on the day ``finished``."""
    record = dossier(
        n,
        procedure=code,
        received_at=f"{received}T08:00:00+07:00",
        due_at=due or f"{received}T17:00:00+07:00",
        updated_at="2025-10-10T08:00:00+07:00",
        **changes,
    )
    if finished:
        record |= {"status": "finished", "finished_at": f"{finished}T10:00:00+07:00"}
    return record


DOSSIERS = [
    # 1.001 in commune 28261: Wed 1 Oct to Tue 7 Oct, 4 working days, due Wed 8 Oct: on time
    hs(1, "1.001", "2025-10-01", "2025-10-07", due="2025-10-08T17:00:00+07:00"),
    # direct, due Fri 3 Oct, finished Thu 9 Oct after 6 working days: late
    hs(2, "1.001", "2025-10-01", "2025-10-09", due="2025-10-03T17:00:00+07:00", channel="direct"),
    hs(3, "1.001", "2025-10-01"),  # still open
    # September: Wed 3 to Fri 5, 2 working days, due Wed 10: on time
    hs(4, "1.001", "2025-09-03", "2025-09-05", due="2025-09-10T17:00:00+07:00"),
    # in commune 28249: Thu 2 to Fri 3 Oct, 1 working day, on time
    hs(5, "1.001", "2025-10-02", "2025-10-03", due="2025-10-06T17:00:00+07:00", unit="28249"),
    # at the province's justice department, paid online: 1 working day, on time
    hs(
        6,
        "1.010",
        "2025-10-01",
        "2025-10-02",
        due="2025-10-10T17:00:00+07:00",
        unit="82",
        agency=AGENCY,
        paid_online=True,
    ),
    hs(7, "1.010", "2025-10-01", unit="82", agency=AGENCY, channel="direct"),
]

NONE = {
    "received": 0,
    "received_online": 0,
    "received_paid_online": 0,
    "finished": 0,
    "finished_on_time": 0,
    "on_time_rate": None,
    "average_working_days": None,
}


@pytest.fixture
def read(dvc, client, api):
    dvc.push("procedure", PROCEDURES)
    answer = dvc.push("dossier", DOSSIERS)
    assert answer["accepted"] == len(DOSSIERS), answer
    token = api.user("lanhdao", "leader")

    def get(**params):
        r = client.get("/api/v1/services/procedures", params=params, headers=auth(token))
        assert r.status_code == 200, r.text
        return r.json()

    return get


def by_code(body) -> dict:
    return {item["code"]: item for item in body["items"]}


def test_the_province_runs_every_procedure_with_its_counts(read):
    body = read(unit="82", period="2025")
    assert (body["unit"], body["period"], body["total"]) == ("82", "2025", 3)
    items = by_code(body)
    assert list(items) == ["1.001", "1.010", "2.002"]
    birth = items["1.001"]
    assert birth["name"] == "Đăng ký khai sinh (liên thông)"
    assert (birth["level"], birth["online"], birth["fee"], birth["population_db"]) == (
        "commune",
        "full",
        False,
        True,
    )
    assert birth["effective_date"] == "2025-07-01"
    # five received (four online); four finished, three on time; 4 + 6 + 2 + 1 working days
    assert birth["dossiers"] == {
        "received": 5,
        "received_online": 4,
        "received_paid_online": 0,
        "finished": 4,
        "finished_on_time": 3,
        "on_time_rate": 75.0,
        "average_working_days": 3.25,
    }
    justice = items["1.010"]
    assert justice["agency"] == {"code": AGENCY, "name": "Sở Tư pháp"}
    assert justice["dossiers"] == {
        "received": 2,
        "received_online": 1,
        "received_paid_online": 1,
        "finished": 1,
        "finished_on_time": 1,
        "on_time_rate": 100.0,
        "average_working_days": 1.0,
    }
    assert items["2.002"]["dossiers"] == NONE


def test_a_commune_runs_the_commune_level_procedures_with_its_own_counts(read):
    items = by_code(read(unit="28261", period="2025"))
    assert list(items) == ["1.001", "2.002"]
    # four received here (three online); three finished, two on time: 4 + 6 + 2 working days
    assert items["1.001"]["dossiers"] == {
        "received": 4,
        "received_online": 3,
        "received_paid_online": 0,
        "finished": 3,
        "finished_on_time": 2,
        "on_time_rate": 66.67,
        "average_working_days": 4.0,
    }
    october = by_code(read(unit="28261", period="202510"))["1.001"]["dossiers"]
    assert october == {
        "received": 3,
        "received_online": 2,
        "received_paid_online": 0,
        "finished": 2,
        "finished_on_time": 1,
        "on_time_rate": 50.0,
        "average_working_days": 5.0,
    }
    assert by_code(read(unit="28261", period="2024"))["1.001"]["dossiers"] == NONE


def test_an_agency_runs_its_own(read):
    items = by_code(read(unit=AGENCY, period="2025Q4"))
    assert list(items) == ["1.010"]
    assert items["1.010"]["dossiers"]["received"] == 2


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"online": "full"}, ["1.001", "1.010"]),
        ({"online": "partial"}, ["2.002"]),
        ({"online": "none"}, []),
        ({"fee": "true"}, ["1.010", "2.002"]),
        ({"fee": "false"}, ["1.001"]),
        ({"q": "chung thuc"}, ["2.002"]),
        ({"q": "Khai Sinh"}, ["1.001"]),
        ({"q": "1.01"}, ["1.010"]),
        ({"online": "full", "fee": "true"}, ["1.010"]),
    ],
)
def test_filters(read, params, codes):
    assert list(by_code(read(unit="82", **params))) == codes


def test_pages(read):
    first, second = read(unit="82", limit=2), read(unit="82", limit=2, offset=2)
    assert list(by_code(first)) + list(by_code(second)) == ["1.001", "1.010", "2.002"]
    assert first["total"] == second["total"] == 3


def test_the_period_defaults_to_the_current_year(read):
    from ioc57.core.clock import today

    assert read(unit="82")["period"] == str(today().year)
