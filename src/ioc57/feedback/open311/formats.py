"""GeoReport v2's two formats: XML (required by the specification) and JSON, from one value.

The specification writes JSON as the "Spark convention" mapping of its XML: a list in JSON is an
element of the list's name in XML with one child per item, named for what an item is
(``services`` -> ``service``, ``service_requests`` -> ``request``, ``errors`` -> ``error``); null is
an empty element, a boolean ``true``/``false``. So a route builds one value (dicts and lists) and
``answer`` writes it in the format the path asked for (``.json`` or ``.xml``), UTF-8 both, the XML
with its declaration. Errors have the specification's shape in both (``[{"code", "description"}]``,
``<errors><error><code/><description/></error></errors>``) and its HTTP statuses: 400 for a request
that cannot be fulfilled, 403 for a missing or wrong ``api_key``, 404 for what does not exist; 429
for a client over its limit.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import orjson
from fastapi.responses import Response

MEDIA = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# the element of an item of each list, in XML
ITEM = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# characters XML 1.0 cannot carry (a citizen's text may hold them): left out of XML answers
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


class Open311Error(Exception):
    """An error answered in the specification's shape, in the format that was asked for."""

    def __init__(self, status: int, description: str, headers: dict[str, str] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.headers = headers or {}


def format_of(response_format: str) -> str:
    """The format a path ends with; 404 (answered as JSON) for one the API does not speak."""
    if response_format not in MEDIA:
        raise Open311Error(404, f"Unknown format {response_format[:20]!r}: use .xml or .json.")
    return response_format


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def _element(name: str, value: Any) -> ET.Element:
    element = ET.Element(name)
    if isinstance(value, dict):
        for key, item in value.items():
            element.append(_element(key, item))
    elif isinstance(value, list):
        for item in value:
            element.append(_element(ITEM[name], item))
    else:
        element.text = _text(value)
    return element


def xml_text(root: str, value: Any) -> str:
    """``value`` as the XML document whose root element is ``root``."""
    document = _element(root, value)
    ET.indent(document, space="  ")  # as the specification's examples: a person reads it too
    return DECLARATION + ET.tostring(document, encoding="unicode") + "\n"


def answer(
    fmt: str, root: str, value: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """``value`` in ``fmt``: JSON as it is, XML under the element ``root``."""
    body = xml_text(root, value).encode("utf-8") if fmt == "xml" else orjson.dumps(value)
    return Response(body, status_code=status, media_type=MEDIA[fmt], headers=headers)


def error_answer(fmt: str, error: Open311Error) -> Response:
    errors = [{"code": error.status, "description": error.description}]
    return answer(fmt, "errors", errors, status=error.status, headers=error.headers)
