"""Every time the API answers carries its offset: a client never has to guess that a bare
``2025-09-01T08:00:00`` was UTC (SQLite gives stored times back without theirs).

Every JSON read of the API (each GET of ``tests/accounts/route_rules.py``, with its minimal
input) is called as the admin on a database that holds data, on both backends, and every string
in the answer that reads as a time must end with its offset."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ioc57.core.access import JSON_INTERFACES

from ..accounts.route_rules import RULES
from ..support.http import auth
from .seed import seed

TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(?P<offset>Z|[+-]\d{2}:?\d{2})?$"
)


def times_without_offset(value: Any, where: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from times_without_offset(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value[:50]):
            yield from times_without_offset(item, f"{where}[{index}]")
    elif isinstance(value, str):
        found = TIME.match(value)
        if found and not found["offset"]:
            yield f"{where} = {value!r}"


@pytest.fixture
def seeded(app) -> Iterator[tuple[TestClient, Any]]:
    with TestClient(app, base_url="http://testserver") as client:
        yield client, seed(app, client)


def test_every_time_the_api_answers_has_its_offset(seeded):
    client, data = seeded
    headers = auth(data.tokens["admin"])
    bare: dict[str, list[str]] = {}
    read = 0
    for (method, path), rule in sorted(RULES.items()):
        if method != "GET" or not path.startswith(JSON_INTERFACES):
            continue
        inputs = rule.call(data, 1)
        url = path.format(**inputs.get("path", {}))
        response = client.get(url, params=inputs.get("params"), headers=headers)
        if not response.headers.get("content-type", "").startswith("application/json"):
            continue
        read += 1
        found = list(times_without_offset(response.json()))
        if found:
            bare[f"GET {path}"] = found[:3]
    assert read > 30, read
    assert bare == {}, "\n".join(f"{k}: {v}" for k, v in bare.items())


def test_the_check_sees_a_time_without_offset():
    answer = {"items": [{"started_at": "2025-09-01T01:00:00", "day": "2025-09-01"}]}
    assert list(times_without_offset(answer)) == [".items[0].started_at = '2025-09-01T01:00:00'"]
    assert list(times_without_offset({"at": "2025-09-01T08:00:00+07:00"})) == []
