"""The report form's values: a few indicators of one unit, typed in the browser, as observation
records for the gate; each field named ``value.<indicator>.<period>`` (or ``numerator.`` and
``denominator.``), so that the form holds a value field or two per indicator and nothing else."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ioc57.core.messages import entry
from ioc57.indicators import errors

KINDS = ("value", "numerator", "denominator")
NAME = re.compile(r"^(value|numerator|denominator)\.([a-z0-9_]{1,80})\.([0-9QSW]{4,10})$")


@dataclass
class Filled:
    """The rows the form holds (``(key, record)``; key ``indicator.period``), and its errors by
    field name (each an error entry of ``core.messages``)."""

    rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    errors: dict[str, dict[str, Any]] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)  # what was typed, to show it again


def number(text: str) -> float:
    """A typed number: ``1200``, ``12.5``, ``12,5`` (a decimal comma, as Vietnamese write it)."""
    plain = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in plain and "." not in plain:
        plain = plain.replace(",", ".")
    value = float(plain)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def read_form(fields: dict[str, str], unit: str, source: str) -> Filled:
    """The filled rows of the form's fields (empty rows are left out)."""
    filled = Filled()
    found: dict[str, dict[str, Any]] = {}
    for name, text in fields.items():
        match = NAME.match(name)
        if not match or not text.strip():
            continue
        kind, code, period = match.groups()
        filled.typed[name] = text.strip()
        row = found.setdefault(
            f"{code}.{period}",
            {"indicator": code, "unit": unit, "period": period, "source": source},
        )
        try:
            row[kind] = number(text)
        except ValueError:
            filled.errors[name] = entry(errors.NOT_NUMBER, [name], value=text.strip())
    filled.rows = list(found.items())
    return filled
