"""/metrics: a client cannot add label values (series) of its choosing."""

from __future__ import annotations

import re
import secrets

SERIES = re.compile(r"^ioc57_http_requests_total\{(.*)\} ", re.MULTILINE)


def series(client) -> set[str]:
    return set(SERIES.findall(client.get("/metrics").text))


def test_fifty_invented_methods_add_at_most_one_series(client):
    client.get("/api/v1/units/82")
    before = series(client)
    for _ in range(50):
        method = "X" + secrets.token_hex(4).upper()
        r = client.request(method, "/api/v1/units/82")
        assert r.status_code == 405
    added = series(client) - before - {s for s in series(client) if 'route="/metrics"' in s}
    assert len(added) <= 1, added
    assert all('method="other"' in s for s in added), added


def test_unknown_paths_and_methods_share_one_label_each(client):
    for i in range(20):
        client.request("BREW", f"/no/such/path/{i}")
        client.get(f"/static/no-such-file-{i}.js")
    labels = series(client)
    assert not any("no-such" in s or "/no/such" in s for s in labels), labels
    assert 'method="other",route="unmatched",status="404"' in labels
    assert not any('method="BREW"' in s for s in labels)
