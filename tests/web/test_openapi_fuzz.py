"""schemathesis over the whole OpenAPI document: no server error, every status and media type documented.

Every operation of ``/api/v1/openapi.json`` gets generated requests (valid and invalid values of
each parameter and body), as an admin, an officer of one province, a data source's token and an
anonymous caller, on a database that holds data (``tests.web.seed``); a second pass fixes the path
parameters to ids that exist, so the generated queries and bodies reach the code behind the lookup.
Each response must pass schemathesis' checks: not a server error, a documented status code, a
documented content type and a body that fits its documented schema.

The run is bounded for ``make test``; ``make fuzz`` sets ``IOC57_FUZZ_EXAMPLES`` for the long run
(``max_examples`` per operation, role and pass). Failures are collected over all operations and
reported together, each with the request that reproduces it.
"""

from __future__ import annotations

import os
from collections import Counter
from contextlib import suppress

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .seed import seed

pytestmark = pytest.mark.long  # minutes: scheduled first (tests/support/scheduling.py)

EXAMPLES = int(os.environ.get("IOC57_FUZZ_EXAMPLES", "3"))
# the bounded run makes the same cases every time; the long one explores anew each run
DERANDOMIZE = "IOC57_FUZZ_EXAMPLES" not in os.environ
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CALLERS = ("admin", "officer", "source", "anonymous")
# an event stream never ends by itself; its own tests (tests/stream) drive it with a deadline
ENDLESS = {("GET", "/api/v1/stream")}


def known_path_parameters(data) -> dict[str, dict]:
    """Ids that exist, for the second pass over each operation with path parameters."""
    value = {"value_id": data.value_id}
    return {
        "/api/v1/units/{code}": {"code": "82"},
        "/api/v1/users/{username}": {"username": data.usernames["viewer"]},
        "/api/v1/ingest/{record_type}": {"record_type": "feedback"},
        "/api/v1/ingest/batches/{batch_id}/errors.csv": {"batch_id": data.batch_id},
        "/api/v1/sources/{name}": {"name": data.source},
        "/api/v1/indicators/{code}": {"code": "online_dossier_rate"},
        "/api/v1/indicators/{code}/series": {"code": "online_dossier_rate"},
        "/api/v1/indicators/{code}/compare": {"code": "online_dossier_rate"},
        "/api/v1/observations/{value_id}/approve": value,
        "/api/v1/observations/{value_id}/reject": value,
        "/api/v1/observations/{value_id}/history": value,
        "/api/v1/services/dossiers/{dossier_id}": {"dossier_id": data.dossier_id},
        "/api/v1/programmes/{programme_id}": {"programme_id": data.programme_id},
        "/api/v1/tasks/{task_id}": {"task_id": data.task_id},
        **{
            f"/api/v1/tasks/{{task_id}}/{step}": {"task_id": data.task_id}
            for step in ("reports", "confirm", "refuse", "extend")
        },
    }


def _send(client: TestClient, case, headers: dict[str, str]):
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    kwargs["headers"] = {**(kwargs.get("headers") or {}), **headers}
    if "data" in kwargs and isinstance(kwargs["data"], bytes | str):
        kwargs["content"] = kwargs.pop("data")
    if not kwargs.get("cookies"):
        kwargs.pop("cookies", None)
    for key in ("allow_redirects", "timeout", "verify", "cert", "proxies", "stream"):
        kwargs.pop(key, None)
    response = client.request(**kwargs, follow_redirects=False)
    response.request.read()  # a multipart body is streamed: read, for the checks that quote it
    return response


def fuzz(client: TestClient, operation, strategy, headers, seen: Counter, failures: dict):

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=DERANDOMIZE,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        response = _send(client, case, headers)
        seen[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as exc:  # keep the first of each kind, go on with the others
            kinds = tuple(sorted({type(f).__name__ for f in exc.exceptions}))
            failures.setdefault((operation.label, kinds), str(exc))

    with suppress(Unsatisfiable):  # nothing of this operation can be made invalid: no input
        run()


@pytest.fixture
def seeded(app):
    """The app, on SQLite only (the long run is ``make fuzz``), with data in its database."""
    # a server error comes back as the 500 a caller would get, for the check to report
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        yield client, seed(app, client)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_operation_answers_as_documented(seeded):
    client, data = seeded
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", client.app)
    known = known_path_parameters(data)
    operations = [result.ok() for result in schema.get_all_operations()]
    # a DELETE may take back what the others need (a caller's token): it runs last
    operations.sort(key=lambda operation: operation.method.upper() == "DELETE")
    assert len(operations) >= 25, [op.label for op in operations]
    failures: dict[tuple, str] = {}
    seen: Counter = Counter()
    for operation in operations:
        if (operation.method.upper(), operation.path) in ENDLESS:
            continue
        strategies = [
            operation.as_strategy(),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        ]
        if operation.path in known:  # a new operation without them is fuzzed all the same
            strategies.append(operation.as_strategy(path_parameters=known[operation.path]))
        for caller in CALLERS:
            for strategy in strategies:
                fuzz(client, operation, strategy, data.headers(caller), seen, failures)
    print(f"statuses seen: {dict(sorted(seen.items()))}, cases: {sum(seen.values())}")
    report = [f"{label} {kinds}:\n{text}" for (label, kinds), text in failures.items()]
    assert not failures, f"{len(failures)} failures\n\n" + "\n\n".join(report)
    assert seen[200] + seen[201] > 0 and seen[404] > 0 and seen[422] > 0, seen
