"""The scorecard reads the index's figures as computed indicators: the share of procedures offered
online end to end, the share of fee-bearing dossiers paid online, and the 766 total itself."""

from __future__ import annotations

from ..support.http import auth
from ..support.index766 import DOSSIERS, PROCEDURES, SPEC
from ..support.indicators import card
from ..support.ingest import Pusher


def test_the_index_figures_read_like_reported_indicators(client, api):
    source = Pusher(client, api, SPEC)
    source.push("procedure", PROCEDURES)
    source.push("dossier", DOSSIERS)
    # in force at the end of 2025: 1.001 to 1.004 (from October); 1.001 and 1.004 end to end
    item = card(client, "82", 2025, "procedures_end_to_end_share_live")
    assert (item["numerator"], item["denominator"]) == (2, 4)
    assert item["value"] == 50.0
    # D1 and D5 paid online, of D1, D2, D3, D5 (1.001 and 1.002 bear a fee)
    item = card(client, "82", 2025, "dossiers_paid_online_share_live")
    assert (item["numerator"], item["denominator"]) == (2, 4)
    # the 766 total of the province for the year, as the index API gives it
    r = client.get(
        "/api/v1/services/index",
        params={"unit": "82", "period": "2025"},
        headers=auth(api.token("admin")),
    )
    assert card(client, "82", 2025, "index766_total_live")["value"] == r.json()["total"]
