"""An indicator computed by another module (the dossiers' online share) reads like a reported one."""

from ..ingest.records import DVC, dossier, finished
from ..support.indicators import card, obs
from ..support.ingest import Pusher


def _dossiers(start, channels, year="2025", **changes):
    day = f"{year}-09-01T08:00:00+07:00" if year == "2025" else f"{year}-05-02T08:00:00+07:00"
    due = f"{year}-09-10T17:00:00+07:00" if year == "2025" else f"{year}-05-10T17:00:00+07:00"
    return [
        dossier(start + i, channel=c, received_at=day, due_at=due, updated_at=day, **changes)
        for i, c in enumerate(channels)
    ]


def test_the_online_share_is_computed_from_the_dossiers_through_the_gate(client, api):
    dvc = Pusher(client, api, DVC)
    dvc.push("dossier", _dossiers(1, ["online", "online", "online", "direct"]))
    item = card(client, "82", 2025, "dossiers_online_share_live")
    assert item["value"] == 75.0
    assert (item["numerator"], item["denominator"]) == (3, 4)
    assert item["target"] == 80.0 and item["status"] is not None

    # a new dossier changes the figure at once: no batch job between the gate and the scorecard
    dvc.push("dossier", _dossiers(10, ["postal"]))
    assert card(client, "82", 2025, "dossiers_online_share_live")["value"] == 60.0


def test_a_legacy_provinces_dossiers_show_under_its_successor_with_their_origin(client, api):
    dvc = Pusher(client, api, DVC)
    # 28261 was a ward of Tiền Giang (82) in 2024; Tiền Giang is part of today's Đồng Tháp (82)
    dvc.push("dossier", _dossiers(1, ["online", "direct", "direct", "direct"], year="2024"))
    r = client.get(
        "/api/v1/indicators/dossiers_online_share_live/series",
        params={"unit": "82", "from": "2024", "to": "2024"},
    )
    assert r.status_code == 200, r.text
    [point] = r.json()["items"]
    assert point["value"] == 25.0
    assert "Tiền Giang" in (point.get("note") or "")


def test_the_on_time_share_counts_finished_dossiers_only(client, api):
    dvc = Pusher(client, api, DVC)
    late = finished(
        2, finished_at="2025-09-30T10:00:00+07:00", updated_at="2025-09-30T10:00:00+07:00"
    )
    dvc.push("dossier", [finished(1), late, dossier(3)])
    item = card(client, "82", 2025, "dossiers_on_time_share_live")
    assert (item["numerator"], item["denominator"], item["value"]) == (1, 2, 50.0)


def test_a_computed_indicator_is_in_the_catalogue_and_cannot_be_reported(client, api):
    r = client.get("/api/v1/indicators/dossiers_online_share_live")
    assert r.status_code == 200 and r.json()["source"] == "computed"
    r = client.post(
        "/api/v1/observations",
        json=[obs("dossiers_online_share_live", "82", "2025", value=99.0)],
        headers={"Authorization": f"Bearer {api.token('admin')}"},
    )
    assert r.status_code == 200, r.text
    [rejected] = r.json()["rejected"]
    assert "indicator" in str(rejected)


def test_the_provinces_are_ranked_on_a_computed_indicator(client, api):
    Pusher(client, api, DVC).push("dossier", _dossiers(1, ["online", "direct"]))
    r = client.get("/api/v1/indicators/dossiers_online_share_live/compare", params={"year": 2025})
    assert r.status_code == 200, r.text
    mine = next(p for p in r.json()["items"] if p["code"] == "82")
    assert mine["value"] == 50.0 and mine["rank"] == 1
