"""No public or out-of-scope surface ever carries a citizen's contact detail or an unapproved value.

Hypothesis makes citizens' reports whose contact (name, phone, email) carries unique markers, sent
through the gate as a data source (one of them a rejected row, whose contact is kept with it), and
values that an officer of one province submits (not approved) with unique numerators,
denominators and citations. Then every GET route of the app, enumerated from its routes, API and
pages, is fetched with its path parameters filled from what was made (and once more with the
query parameters those routes filter by), as callers who may see neither: anonymous, a viewer,
an officer of another province, an unrelated data source's token and an operator (drafts are for
the unit's officers and the reviewers); contact details as a leader too, but not as an operator,
who calls citizens back. No marker may appear in
any body (downloads included: XLSX files are unzipped first).

``IOC57_LEAK_EXAMPLES`` scales the number of examples (``make fuzz`` raises it).
"""

from __future__ import annotations

import io
import itertools
import os
import re
import zipfile

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from starlette.routing import Mount

from ..ingest.records import feedback, observation
from ..support.http import auth
from .seed import PROVINCE, push, seed, submit, walk_routes

pytestmark = pytest.mark.long  # minutes: scheduled first (tests/support/scheduling.py)

EXAMPLES = int(os.environ.get("IOC57_LEAK_EXAMPLES", "3"))
# the stream sends only what happens while it is open, for the caller's units (tests/stream)
ENDLESS = {"/api/v1/stream"}
DRAFT_CALLERS = ("anonymous", "viewer", "officer_other", "other_source", "operator")
# an operator of the IOC takes the calls of hotline 1022 and calls citizens back: it reads their
# contact (``feedback.contact``); a leader does not
CONTACT_CALLERS = ("anonymous", "viewer", "officer_other", "other_source", "leader")
INDICATOR = "online_dossier_rate"

markers = st.text("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=10, max_size=10)
contacts = st.fixed_dictionaries(
    {
        "name": markers.map(lambda m: f"Nguyễn Văn {m}"),
        "phone": st.integers(10**8, 10**9 - 1).map(lambda n: f"09{n}"),
        "email": markers.map(lambda m: f"{m.lower()}@thu.example.vn"),
    }
)
drafts = st.fixed_dictionaries(
    {
        "period": st.integers(2015, 2024).map(str),
        "numerator": st.integers(7_100_000, 7_199_999),
        "denominator": st.integers(9_800_000, 9_899_999),
        "source": markers.map(lambda m: f"Báo cáo {m}"),
    }
)


def number_forms(n: int) -> set[str]:
    return {str(n), f"{n:,}", f"{n:,}".replace(",", ".")}


def appears(secret: str, text: str) -> bool:
    """Whether ``secret`` is in ``text``; a number as a whole number, not as the digits inside
    another (a province's area of 5647.967100000001 km² holds no numerator 7100000)."""
    if not secret[0].isdigit():
        return secret in text
    return re.search(rf"(?<![\d.]){re.escape(secret)}(?!\d)", text) is not None


def readable(response) -> str:
    """The body as text a person or program would read: XLSX (zip) files unpacked."""
    body = response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return body.decode("utf-8", "replace")


def route_values(data, made: dict) -> dict[str, list]:
    return {
        "batch_id": [data.batch_id, *made["batches"]],
        "value_id": [data.value_id, data.approved_id, *made["values"]],
        "dossier_id": [data.dossier_id],
        "programme_id": [data.programme_id],
        "task_id": [data.task_id],
        "name": [data.source, data.other_source],
        "kind": ["csv", "xlsx", "docx", "pdf"],
        "day": ["2024-06-28"],  # the daily brief of a past day
        "fmt": ["csv", "xlsx"],
        "lang": ["vi"],
        "evidence_id": [1],
        "event_type": ["ObjectEvent"],
        "epc": ["urn:epc:id:sscc:8935001.0000000001"],
        "captureID": [data.batch_id, *made["batches"]],  # a feedback batch is no capture job
        "gtin": ["08935001000013"],  # a lot's public page (tests/traceability: its own leak test)
        "lot": ["L1"],
        "alert_id": [1],  # none seeded: a 404 (tests/alerts read their own alerts)
        "report_id": ["PA-1", *made["reports"]],  # the seeded citizen report, those made here
        # Open311: the reports as requests, in both formats
        "service_request_id": ["PA-1", *made["reports"]],
        "response_format": ["json", "xml"],
        "service_code": ["moi-truong"],
        "token": ["NO-TOKEN"],
        "photo_id": ["nope"],  # a report's photo: none seeded (tests/feedback/test_photos)
        # a record read back through the gate: the citizen reports, by each source
        "record_type": ["feedback"],
        "source": [data.source, data.other_source],
        "record_id": ["PA-1", *made["reports"]],
        "type_name": ["feedback", "dossier"],  # the import page's example files
    }


def get_paths(app, data, made: dict) -> list[str]:
    """Every GET route of the app with its path parameters filled in every known way."""
    values = route_values(data, made)
    paths = []
    for route in walk_routes(app.routes):
        if isinstance(route, Mount) or "GET" not in route.methods or route.path in ENDLESS:
            continue
        names = re.findall(r"{(\w+)}", route.path)
        if "code" in names:  # an indicator's code under /indicators, else a unit's
            values["code"] = [INDICATOR] if "indicators" in route.path else [PROVINCE, "28261"]
        missing = [n for n in names if n not in values]
        assert not missing, f"no value for {missing} of {route.path}: add it to route_values"
        for combination in itertools.product(*(values[n] for n in names)):
            paths.append(route.path.format(**dict(zip(names, combination, strict=True))))
    return paths


def query_for(made: dict) -> dict:
    """The query parameters the routes filter by, set to what was made."""
    period = made["periods"][-1] if made["periods"] else "2024"
    return {
        "unit": PROVINCE,
        "status": "submitted",
        "indicator": INDICATOR,
        "year": period[:4],
        "period": period,
        "from": "2015",
        "to": "2024",
    }


@pytest.fixture
def world(app):
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        yield client, seed(app, client)


def test_no_contact_or_draft_outside_its_scope(world):
    client, data = world
    made: dict[str, list] = {"batches": [], "values": [], "periods": [], "reports": []}
    numbers = itertools.count(1000)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # a leak is plain as found: no minutes shrinking
        suppress_health_check=list(HealthCheck),
    )
    @given(
        people=st.lists(contacts, min_size=1, max_size=3),
        values=st.lists(drafts, min_size=1, max_size=2, unique_by=lambda d: d["period"]),
    )
    def check(people, values):
        records = [feedback(next(numbers), unit="28261", contact=c) for c in people]
        records[-1]["status"] = "not-a-status"  # a rejected row keeps its contact with it
        made["batches"].append(push(client, data.source_token, "feedback", records)["batch"])
        made["reports"] = [r["id"] for r in records[:2]]
        answer = submit(client, data.tokens["officer"], *(observation(**v) for v in values))
        assert answer["rejected"] == [], answer
        listed = client.get(
            "/api/v1/observations",
            params={"status": "submitted", "unit": PROVINCE, "limit": 1000},
            headers=auth(data.tokens["admin"]),
        ).json()["items"]
        made["values"] = sorted({i["id"] for i in listed})[-4:]
        # the markers are there to be found: the officer of the province reads the drafts
        own = client.get("/api/v1/observations", headers=auth(data.tokens["officer"])).text
        assert all(v["source"] in own and str(v["numerator"]) in own for v in values)
        made["periods"] = [v["period"] for v in values]

        private = {
            "contact": {text for c in people for text in c.values()},
            "draft": {v["source"] for v in values}
            | {form for v in values for form in number_forms(v["numerator"])}
            | {form for v in values for form in number_forms(v["denominator"])},
        }
        leaks = []
        paths = get_paths(client.app, data, made)
        for path, query in itertools.product(paths, ({}, query_for(made))):
            for caller in CONTACT_CALLERS:
                response = client.get(path, params=query, headers=data.headers(caller))
                text = readable(response)
                for kind, secrets in private.items():
                    if kind == "draft" and caller not in DRAFT_CALLERS:
                        continue
                    found = sorted(s for s in secrets if appears(s, text))
                    if found:
                        leaks.append(f"{kind} {found} in GET {path} {query or ''} as {caller}")
        assert not leaks, "\n".join(sorted(set(leaks)))

    check()
