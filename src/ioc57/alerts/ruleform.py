"""The rule's form and the service's rule, each read as the other: the fields a person fills (the
parameters and labels as "name=value" lines, the units and the grouping as lists, a threshold as
Vietnamese writes it, "1,5", or empty for the series' own) and the rule ``rules.Rule`` checks."""

from __future__ import annotations

import re
from typing import Any

FIELDS = (
    "name",
    "title",
    "kind",
    "figure",
    "params",
    "op",
    "threshold",
    "for",
    "keep_firing_for",
    "nodata_after",
    "severity",
    "labels",
    "units",
    "group_by",
    "active",
)
EMPTY = {
    "kind": "threshold",
    "op": ">",
    "threshold": "",
    "for": "5m",
    "keep_firing_for": "0s",
    "nodata_after": "",
    "severity": "warning",
    "group_by": "alertname",
    "active": True,
}


def _lines(mapping: dict[str, Any]) -> str:
    """A mapping as the form's "key=value" lines."""
    return "\n".join(f"{k}={v}" for k, v in mapping.items())


def as_form(view: dict[str, Any]) -> dict[str, Any]:
    """A stored rule (the service's view) as the form's fields."""
    threshold = view["threshold"]
    return {
        **{k: view[k] for k in ("name", "title", "kind", "figure", "op", "severity", "active")},
        "threshold": "" if threshold is None else f"{threshold:g}",
        "params": _lines(view["params"]),
        "labels": _lines(view["labels"]),
        "units": ", ".join(view["units"]),
        "group_by": ", ".join(view["group_by"]),
        "for": view["for"] or "0s",
        "keep_firing_for": view["keep_firing_for"] or "0s",
        "nodata_after": view["nodata_after"] or "",
    }


def pairs(text: str) -> dict[str, str]:
    """Lines of "key=value" (or parts separated by commas) as a mapping; a part without "="
    keeps its text as a key with no value, for the service to refuse by name."""
    found = {}
    for part in re.split(r"[\n,]", text):
        if part.strip():
            key, _, value = part.partition("=")
            found[key.strip()] = value.strip()
    return found


def listed(text: str) -> list[str]:
    """Codes or names separated by spaces, commas or semicolons."""
    return [p for p in re.split(r"[\s,;]+", text) if p]


def number(text: str) -> str | None:
    """A threshold as a person writes it ("1,5" in Vietnamese): None for "the series' own"."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    return text.replace(",", ".") if text.count(",") == 1 and "." not in text else text


def rule_of(values: dict[str, Any]) -> dict[str, Any]:
    """The form's fields as the service's rule (``rules.Rule`` validates it)."""
    return {
        "name": values["name"].strip(),
        "title": values["title"].strip(),
        "kind": values["kind"],
        "figure": values["figure"],
        "params": pairs(values["params"]),
        "op": values["op"],
        "threshold": number(values["threshold"]),
        "for": values["for"].strip() or 0,
        "keep_firing_for": values["keep_firing_for"].strip() or 0,
        "nodata_after": values["nodata_after"].strip() or None,
        "severity": values["severity"],
        "labels": pairs(values["labels"]),
        "units": listed(values["units"]),
        "group_by": listed(values["group_by"]) or ["alertname"],
        "active": values["active"],
    }
