"""The operator's work list: open dossiers by urgency, kept current by the gate as they move on."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from ioc57.core.clock import LOCAL_TZ, stored_utc
from ioc57.ingest.tables import records
from ioc57.services.tables import open_dossiers

from ..ingest.records import dossier, procedure
from ..support.http import auth
from ..support.services import AGENCY, hs

# seen on Wednesday 15 October 2025 at 10:00; "due soon" runs to the end of Friday 17 October
DOSSIERS = [
    hs(1, "2025-10-14T17:00:00"),  # overdue since yesterday
    hs(2, "2025-10-15T09:00:00", status="processing"),  # overdue since an hour
    hs(3, "2025-10-16T17:00:00"),  # due tomorrow
    # due on Monday 13 October, suspended 3 working days: due Thursday 16 October at 16:00
    hs(4, "2025-10-13T16:00:00", status="suspended", suspended_days=3),
    hs(5, "2025-10-17T17:00:00", status="supplement", supplement_requests=1),
    hs(6, "2025-10-20T17:00:00", status="processing"),  # Monday: three working days ahead
    hs(7, "2025-10-22T17:00:00", unit="82", agency=AGENCY),  # at the province's department
    hs(8, "2025-10-24T17:00:00", unit="28249"),  # another commune
    hs(9, "2025-10-10T17:00:00", status="finished", finished_at="2025-10-09T10:00:00+07:00"),
    hs(10, "2025-10-10T17:00:00", status="cancelled"),
]


@pytest.fixture
def listed(dvc, client, api, at_now):
    dvc.push("procedure", [procedure(1, id="1.001", name="Đăng ký khai sinh", level="commune")])
    dvc.push("dossier", DOSSIERS)
    token = api.user("lanhdao", "leader")

    def get(**params):
        r = client.get("/api/v1/services/dossiers", params=params, headers=auth(token))
        assert r.status_code == 200, r.text
        return r.json()

    return get


def numbers(body) -> list[int]:
    return [int(item["record_id"].removeprefix("HS-")) for item in body["items"]]


def test_the_province_sees_every_open_dossier_most_urgent_first(listed):
    body = listed(unit="82")
    assert numbers(body) == [1, 2, 4, 3, 5, 6, 7, 8]
    assert body["total"] == 8
    first = body["items"][0]
    assert first["procedure"] == {"code": "1.001", "name": "Đăng ký khai sinh"}
    assert first["unit"]["code"] == "28261"
    assert first["agency"] is None
    assert first["received_at"] == "2025-10-01T08:00:00+07:00"
    assert first["effective_due_at"] == "2025-10-14T17:00:00+07:00"
    assert first["points_at_stake"] == 0.0  # overdue: its points are lost already
    states = {
        n: (i["state"], i["working_days_left"])
        for n, i in zip(numbers(body), body["items"], strict=True)
    }
    assert states == {
        1: ("overdue", -1),
        2: ("overdue", 0),
        4: ("due_soon", 1),
        3: ("due_soon", 1),
        5: ("due_soon", 2),
        6: ("processing", 3),
        7: ("received", 5),
        8: ("received", 7),
    }
    department = body["items"][6]
    assert department["unit"]["code"] == "82"
    assert department["agency"] == {"code": AGENCY, "name": "Sở Tư pháp"}


def test_suspended_working_days_move_the_due_time(listed):
    item = listed(unit="82", state="suspended")["items"][0]
    assert item["due_at"] == "2025-10-13T16:00:00+07:00"
    assert item["effective_due_at"] == "2025-10-16T16:00:00+07:00"
    assert item["suspended_days"] == 3


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("open", [1, 2, 4, 3, 5, 6, 7, 8]),
        ("overdue", [1, 2]),
        ("due_soon", [4, 3, 5]),
        ("supplement", [5]),
        ("suspended", [4]),
        ("processing", [2, 6]),
        ("received", [1, 3, 7, 8]),
    ],
)
def test_each_state_lists_its_dossiers(listed, state, expected):
    body = listed(unit="82", state=state)
    assert numbers(body) == expected
    assert body["total"] == len(expected)


def test_a_unit_lists_its_subtree_and_an_agency_its_own(listed):
    assert numbers(listed(unit="28261")) == [1, 2, 4, 3, 5, 6]
    assert numbers(listed(unit="28249")) == [8]
    assert numbers(listed(unit=AGENCY)) == [7]
    assert numbers(listed(unit="82", procedure="1.001")) == [1, 2, 4, 3, 5, 6, 7, 8]
    assert numbers(listed(unit="82", procedure="9.999")) == []


def test_pages_follow_the_order(listed):
    first = listed(unit="82", limit=3)
    second = listed(unit="82", limit=3, offset=3)
    last = listed(unit="82", limit=3, offset=6)
    assert numbers(first) + numbers(second) + numbers(last) == [1, 2, 4, 3, 5, 6, 7, 8]
    assert first["total"] == second["total"] == last["total"] == 8
    assert (first["limit"], second["offset"]) == (3, 3)
    assert listed(unit="82", offset=8)["items"] == []


def test_a_status_change_moves_or_removes_a_dossier(listed, dvc):
    later = {"updated_at": "2025-10-15T09:00:00+07:00"}
    dvc.push(
        "dossier",
        [
            hs(1, "2025-10-14T17:00:00", status="finished", finished_at="2025-10-15T08:00:00+07:00")
            | later,
            hs(6, "2025-10-20T17:00:00", status="supplement", supplement_requests=1) | later,
            hs(3, "2025-10-16T17:00:00", status="returned") | later,
        ],
    )
    assert numbers(listed(unit="82")) == [2, 4, 5, 6, 7, 8]
    assert numbers(listed(unit="82", state="supplement")) == [5, 6]
    # an older version arriving late changes nothing: the gate keeps the newer one
    stale = hs(1, "2025-10-14T17:00:00") | {"updated_at": "2025-10-02T08:00:00+07:00"}
    assert dvc.push("dossier", [stale])["stale"] == 1
    assert numbers(listed(unit="82", state="overdue")) == [2]


def test_suspension_across_a_weekend_and_a_holiday(dvc, engine):
    # due Friday 4 April 2025; one working day suspended: Monday 7 April is Hùng Kings' day, so
    # it is due Tuesday 8 April. Due Friday 10 October, one day: Monday 13 October.
    dvc.push(
        "dossier",
        [
            dossier(
                21,
                received_at="2025-03-31T08:00:00+07:00",
                due_at="2025-04-04T17:00:00+07:00",
                updated_at="2025-03-31T08:00:00+07:00",
                status="suspended",
                suspended_days=1,
            ),
            hs(22, "2025-10-10T17:00:00", status="suspended", suspended_days=1),
        ],
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(open_dossiers.c.record_id, open_dossiers.c.effective_due_at).order_by(
                open_dossiers.c.record_id
            )
        ).all()
    due = {r.record_id: _local(r.effective_due_at) for r in rows}
    assert due == {
        "HS-21": datetime(2025, 4, 8, 17, 0, tzinfo=LOCAL_TZ),
        "HS-22": datetime(2025, 10, 13, 17, 0, tzinfo=LOCAL_TZ),
    }
    assert due["HS-21"].date() == date(2025, 4, 8)


def _local(value: datetime) -> datetime:
    return stored_utc(value).astimezone(LOCAL_TZ)


def test_one_dossier_open_or_closed(listed, client, api):
    token = api.tokens["lanhdao"]
    open_id = listed(unit="82", state="suspended")["items"][0]["id"]
    r = client.get(f"/api/v1/services/dossiers/{open_id}", headers=auth(token))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["record_id"] == "HS-4"
    assert body["source"] == "dvc-82"
    assert body["open"] is True
    assert body["state"] == "due_soon"
    assert body["effective_due_at"] == "2025-10-16T16:00:00+07:00"
    assert body["procedure"] == {"code": "1.001", "name": "Đăng ký khai sinh"}
    assert body["unit"]["code"] == "28261"
    # a finished dossier is no longer listed, and still found
    with api.app.state.engine.connect() as conn:
        closed = conn.execute(select(records.c.id).where(records.c.record_id == "HS-9")).scalar()
    r = client.get(f"/api/v1/services/dossiers/{closed}", headers=auth(token))
    assert r.status_code == 200, r.text
    assert r.json()["open"] is False
    assert r.json()["finished_at"] == "2025-10-09T10:00:00+07:00"
    assert "state" not in r.json()
    missing = client.get("/api/v1/services/dossiers/999999", headers=auth(token))
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


def test_a_dossier_open_since_before_the_merger_is_its_successors(listed, dvc):
    # received in May 2024 at Phường 1 of Thành phố Mỹ Tho, Tỉnh Tiền Giang (28261 then), still
    # in hand: today's Đồng Tháp (82) and today's commune 28261 list it
    old = dossier(
        20,
        received_at="2024-05-02T08:00:00+07:00",
        due_at="2024-05-10T17:00:00+07:00",
        updated_at="2024-05-02T08:00:00+07:00",
        status="processing",
    )
    dvc.push("dossier", [old])
    assert 20 in numbers(listed(unit="82"))
    assert 20 in numbers(listed(unit="28261"))
    assert 20 not in numbers(listed(unit="28249"))
