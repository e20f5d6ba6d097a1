"""An officer reports for their unit only; bad values are rejected naming the field."""

import pytest

from ..support.http import auth
from ..support.indicators import Reporter, obs


def test_an_officer_reports_only_within_their_unit(client, api):
    commune = Reporter(client, api.user("canbo.mytho", "officer", unit="28261"))
    answer = commune.report(
        obs("hotline_1022_reports", "28261", "202509", value=5),
        obs("hotline_1022_reports", "82", "202509", value=500),
        obs("hotline_1022_reports", "01", "202509", value=1),
    )
    assert answer["accepted"] == 1
    assert [(r["index"], r["errors"][0]["loc"]) for r in answer["rejected"]] == [
        (1, ["unit"]),
        (2, ["unit"]),
    ]


def test_viewers_and_anonymous_cannot_report(client, api):
    r = client.post("/api/v1/observations", json=[], headers=auth(api.user("xem", "viewer")))
    assert r.status_code == 403
    assert client.post("/api/v1/observations", json=[]).status_code == 401


@pytest.mark.parametrize(
    ("observation", "field"),
    [
        (obs("no_such_indicator", "82", "2024", value=1), "indicator"),
        (obs("hotline_1022_reports", "99999", "202409", value=1), "unit"),
        (obs("hotline_1022_reports", "82", "2024Q5", value=1), "period"),
        (obs("rd_personnel_per_10k", "82", "202409", value=1), "period"),  # a yearly indicator
        (obs("online_dossier_rate", "82", "202409", numerator=120, denominator=100), "numerator"),
        (obs("online_dossier_rate", "82", "202409", numerator=0, denominator=0), "denominator"),
        (obs("online_dossier_rate", "82", "202409", value=130), "value"),
        (obs("hotline_1022_reports", "82", "209901", value=1), "period"),
    ],
)
def test_bad_values_are_rejected_naming_the_field(leader, observation, field):
    answer = leader.report(observation)
    assert answer["accepted"] == 0
    assert any(field in e["loc"] for e in answer["rejected"][0]["errors"]), answer["rejected"]


def test_a_malformed_body_is_400(client, leader):
    r = client.post(
        "/api/v1/observations",
        content=b"{oops",
        headers=auth(leader.token) | {"content-type": "application/json"},
    )
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")
