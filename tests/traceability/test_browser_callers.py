"""The EPCIS interfaces answer a browser as they answer a system: a problem in JSON whatever the
``Accept`` header asks, and a write carried by a session cookie only with its CSRF token."""

from __future__ import annotations

from ..support.http import login
from ..support.trace import document, harvest


def test_an_epcis_error_is_a_problem_even_for_a_browser(tracer):
    r = tracer.client.get(
        "/epcis/events",
        params={"EQ_nothing": "1"},
        headers={
            "Authorization": f"Bearer {tracer.api.token('admin')}",
            "Accept": "text/html,application/xhtml+xml",
        },
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")


def test_a_capture_by_session_needs_its_csrf_token(trace_app, tracer):
    tracer.api.user("nhaplieu.trace", "leader", password="password-57")
    client = tracer.api.client()
    csrf = login(client, "nhaplieu.trace", "password-57")
    body = document(harvest(lot="CSRF1"))
    refused = client.post("/epcis/capture", json=body)
    assert refused.status_code == 403, refused.text
    taken = client.post("/epcis/capture", json=body, headers={"X-CSRF-Token": csrf})
    assert taken.status_code == 202, taken.text
