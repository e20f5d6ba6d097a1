"""Reporting indicator values through the API, and reading one indicator off the scorecard."""

from __future__ import annotations

from .http import auth


class Reporter:
    """Reports values through POST /api/v1/observations as one user."""

    def __init__(self, client, token):
        self.client = client
        self.token = token

    def report(self, *observations, expect=200):
        r = self.client.post(
            "/api/v1/observations", json=list(observations), headers=auth(self.token)
        )
        assert r.status_code == expect, r.text
        return r.json()


def obs(indicator, unit, period, **values) -> dict:
    return {
        "indicator": indicator,
        "unit": unit,
        "period": period,
        "source": "test: a figure reported in a test",
        **values,
    }


def card(client, unit, year, indicator):
    r = client.get("/api/v1/scorecard", params={"unit": unit, "year": year})
    assert r.status_code == 200, r.text
    return next(i for i in r.json()["items"] if i["indicator"] == indicator)
