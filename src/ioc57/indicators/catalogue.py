"""The indicator catalogue: a data file in the package (``catalogue.json``), validated on load."""

from __future__ import annotations

import json
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ioc57.core import providers
from ioc57.core.periods import parse_period

HERE = Path(__file__).resolve().parent
PERIOD_ORDER = {"day": 0, "week": 1, "month": 2, "quarter": 3, "half": 4, "year": 5}


class Target(BaseModel):
    year: int = Field(ge=2000, le=2100)
    value: float
    basis: str = ""


class Indicator(BaseModel):
    code: str
    group: str
    name: str
    name_en: str
    description: str
    description_en: str
    unit_of_measure: str
    kind: Literal["count", "ratio", "value", "rank"]
    aggregation: Literal["sum", "ratio", "none"]
    factor: float | None = None
    period_type: Literal["year", "quarter", "month"]
    direction: Literal["positive", "negative"]
    legal_basis: str
    stock: bool = False  # a level (take the latest period), not a flow (add the periods)
    targets: list[Target] = []
    source: Literal["reported", "computed"] = "reported"
    # the last day it applied: an indicator of a level abolished in the 2025 reorganisation
    # (districts, "thị trấn") applied up to 30/06/2025
    until: date | None = None
    # who reports a value for their own unit: the province (and its agencies, for their field),
    # and, for what a commune's own work makes (its dossiers, documents, meetings, officials,
    # models, cooperatives), communes and wards too; a unit's due list holds what its level reports
    reported_by: list[Literal["province", "commune"]] = ["province"]

    def applies(self, year: int) -> bool:
        """Whether the indicator applied in (some of) ``year``."""
        return self.until is None or year <= self.until.year

    def accepts_period(self, code: str) -> bool:
        """A value may be reported for the indicator's period type or a coarser one."""
        return PERIOD_ORDER[parse_period(code).type] >= PERIOD_ORDER[self.period_type]

    def target_for(self, year: int) -> Target | None:
        """The nearest target at or after ``year`` (else the last one)."""
        later = [t for t in sorted(self.targets, key=lambda t: t.year) if t.year >= year]
        return (
            later[0]
            if later
            else (max(self.targets, key=lambda t: t.year) if self.targets else None)
        )


class Group(BaseModel):
    name: str
    name_en: str


class Catalogue(BaseModel):
    version: int
    groups: dict[str, Group]
    indicators: list[Indicator]

    @cached_property
    def by_code(self) -> dict[str, Indicator]:
        """The indicators by code (a plain attribute once made: the gate reads it per record)."""
        return {i.code: i for i in self.indicators}

    def get(self, code: str) -> Indicator | None:
        return self.by_code.get(code)

    def add(self, indicator: Indicator) -> None:
        """Add (or replace) an indicator: how a module's computed indicator joins the catalogue."""
        if indicator.code in self.by_code:
            self.indicators = [i for i in self.indicators if i.code != indicator.code]
        self.indicators.append(indicator)
        self.by_code[indicator.code] = indicator


@lru_cache(maxsize=1)
def _reported() -> Catalogue:
    data = json.loads((HERE / "catalogue.json").read_text(encoding="utf-8"))
    return Catalogue.model_validate(data)


_joined = [0]  # how many providers the catalogue has looked at (they are only ever added)


def catalogue() -> Catalogue:
    """The catalogue file's indicators, and those the installed modules compute
    (``core.providers``): the providers are looked at again only when one was registered
    since (the gate asks for the catalogue once a record)."""
    found = _reported()
    if providers.count() != _joined[0]:
        offered = providers.providers()
        for provider in offered:
            if found.get(provider.code) is None:
                found.add(Indicator.model_validate(provider.indicator))
        _joined[0] = len(offered)
    return found
