"""Open311 GeoReport v2 for the tests (``tests/feedback/test_open311*.py``): the specification's
required fields of each answer, and each answer read in both formats — XML parsed with lxml and
turned into the JSON it stands for (the specification's "Spark convention"), so that a test checks
one value and that the two formats say the same."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from lxml import etree

V2 = "/open311/v2"
FORMATS = ("json", "xml")
# the fields the specification lists for each answer (in every item of its list)
DISCOVERY = {"changeset", "contact", "key_service", "endpoints"}
ENDPOINT = {"specification", "url", "changeset", "type", "formats"}
SERVICE = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
DEFINITION = {"service_code", "attributes"}
ATTRIBUTE = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
}
CREATED = {"service_request_id", "token", "service_notice", "account_id"}
REQUEST = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
TOKEN = {"service_request_id", "token"}
ERROR = {"code", "description"}
# the element of an item of each list
ITEM = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def from_xml(element: Any) -> Any:
    """An element as the JSON value it stands for (text stays text; empty is None)."""
    if element.tag in ITEM:
        assert all(child.tag == ITEM[element.tag] for child in element), element.tag
        return [from_xml(child) for child in element]
    if len(element):
        return {child.tag: from_xml(child) for child in element}
    return element.text


def as_text(value: Any) -> Any:
    """A JSON value as its XML text (numbers and booleans as the XML writes them)."""
    if isinstance(value, list):
        return [as_text(v) for v in value]
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read(response, fmt: str) -> Any:
    """The answer's value, checking its media type (and, for XML, its declaration)."""
    if fmt == "json":
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        return response.json()
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return from_xml(etree.fromstring(response.content))


def both(client: TestClient, method: str, path: str, expect: int = 200, **kwargs) -> Any:
    """``path`` (without its format) asked in JSON and in XML: the JSON answer, once the XML one
    was found to say the same. For a POST that files, each format files its own report: only the
    shapes are compared."""
    answers = {}
    for fmt in FORMATS:
        r = client.request(method, f"{V2}/{path}.{fmt}", **kwargs)
        assert r.status_code == expect, (fmt, r.status_code, r.text)
        answers[fmt] = read(r, fmt)
    if method == "GET":
        assert as_text(answers["json"]) == answers["xml"]
    return answers["json"]


def errors(client: TestClient, method: str, path: str, expect: int, **kwargs) -> str:
    """The description of the one error ``path`` answers in both formats, in the
    specification's shape."""
    said = both(client, method, path, expect, **kwargs)
    assert isinstance(said, list) and len(said) == 1 and set(said[0]) == ERROR, said
    assert said[0]["code"] == expect
    return said[0]["description"]


def has_fields(items: list[dict], fields: set[str]) -> None:
    assert items, "no items"
    for item in items:
        assert set(item) == fields, set(item) ^ fields
