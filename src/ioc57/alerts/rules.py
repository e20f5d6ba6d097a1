"""An alert rule as people write it (the API, the YAML file, the rules page) and as the evaluator
reads it back.

A rule watches one figure a module offers (``core.figures``): ``kind`` threshold compares each
series' value with ``threshold`` (or, when it is null, with the series' own limit: a station's
threshold, the strictest crop threshold of its commune); ``kind`` nodata fires when a series has
sent nothing for ``nodata_after``. Durations are seconds or "30s", "5m", "1h", "2d", as in
Prometheus' files. ``units`` (codes) is its scope: the series of those units' subtrees (empty:
everywhere). Its ``name`` is a slug, the ``alertname`` label of its alerts.

``Rule`` validates what is written; ``StoredRule`` is what the evaluator needs of a stored row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from ioc57.alerts.matchers import NAME as LABEL_NAME
from ioc57.core import figures

KINDS = ("threshold", "nodata")
OPS = (">", ">=", "<", "<=", "==", "!=")
SEVERITIES = ("info", "warning", "critical")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
SLUG = r"^[a-z0-9][a-z0-9-]{0,99}$"
MAX_DURATION_S = 30 * 86_400
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}
_DURATION = re.compile(r"^(\d+)([smhd])$")


def parse_duration(value: Any) -> int | None:
    """Seconds from a number of seconds or a "30s", "5m", "1h", "2d" (a ``ValueError`` if
    neither); None stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("must be seconds or a duration such as 30s, 5m, 1h, 2d")
    if isinstance(value, int | float):
        seconds = value
    elif isinstance(value, str) and value.strip().isdigit():
        seconds = int(value.strip())
    elif isinstance(value, str) and (found := _DURATION.match(value.strip())):
        seconds = int(found.group(1)) * _UNITS[found.group(2)]
    else:
        raise ValueError("must be seconds or a duration such as 30s, 5m, 1h, 2d")
    if seconds != int(seconds) or not 0 <= seconds <= MAX_DURATION_S:
        raise ValueError(f"must be whole seconds between 0 and {MAX_DURATION_S} (30 days)")
    return int(seconds)


def format_duration(seconds: int | None) -> str | None:
    """The shortest exact "2d", "1h", "5m", "30s" of ``seconds`` ("0s" for none)."""
    if seconds is None:
        return None
    for suffix in ("d", "h", "m"):
        if seconds and seconds % _UNITS[suffix] == 0:
            return f"{seconds // _UNITS[suffix]}{suffix}"
    return f"{seconds}s"


Duration = Annotated[int, BeforeValidator(parse_duration)]
LabelValue = Annotated[str, Field(max_length=200)]


class Rule(BaseModel):
    """A rule as written; the figure and its parameters are checked against the registry."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: Annotated[str, Field(pattern=SLUG)]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    kind: Literal["threshold", "nodata"] = "threshold"
    figure: Annotated[str, Field(min_length=1, max_length=80)]
    params: dict[str, Annotated[str, Field(max_length=200)]] = Field(
        default_factory=dict, validate_default=True
    )
    op: Literal[">", ">=", "<", "<=", "==", "!="] = ">"
    threshold: Annotated[float, Field(allow_inf_nan=False)] | None = None
    for_: Duration = Field(0, alias="for")
    keep_firing_for: Duration = 0
    nodata_after: Annotated[int | None, BeforeValidator(parse_duration)] = Field(
        None, validate_default=True
    )
    severity: Literal["info", "warning", "critical"] = "warning"
    labels: dict[str, LabelValue] = Field(default_factory=dict, max_length=20)
    units: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=200
    )
    group_by: list[str] = Field(default_factory=lambda: ["alertname"], max_length=20)
    active: bool = True

    @field_validator("figure")
    @classmethod
    def _registered(cls, name: str) -> str:
        if figures.figure(name) is None:
            offered = ", ".join(sorted(f.name for f in figures.figures())) or "none"
            raise ValueError(f"no module offers the figure {name!r} (offered: {offered})")
        return name

    @field_validator("labels")
    @classmethod
    def _label_names(cls, labels: dict[str, str]) -> dict[str, str]:
        for name in labels:
            if not LABEL_NAME.match(name):
                raise ValueError(f"{name!r} is not a label name")
            if name in ("alertname", "severity"):
                raise ValueError(f"{name!r} is set from the rule itself")
        return labels

    @field_validator("group_by")
    @classmethod
    def _group_names(cls, names: list[str]) -> list[str]:
        for name in names:
            if name != "..." and not LABEL_NAME.match(name):
                raise ValueError(f"{name!r} is not a label name (or '...')")
        return names

    @field_validator("params")
    @classmethod
    def _params(cls, params: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        fig = figures.figure(info.data.get("figure", ""))
        if fig is None:
            return params
        unknown = sorted(set(params) - set(fig.params))
        if unknown:
            allowed = ", ".join(sorted(fig.params)) or "none"
            raise ValueError(
                f"{fig.name} takes no parameter {', '.join(unknown)} (it takes: {allowed})"
            )
        missing = [p for p in fig.required if p not in params]
        if missing:
            raise ValueError(f"{fig.name} needs {', '.join(missing)}")
        return params

    @field_validator("nodata_after")
    @classmethod
    def _nodata_after(cls, seconds: int | None, info: ValidationInfo) -> int | None:
        if seconds is None and info.data.get("kind") == "nodata":
            raise ValueError("a nodata rule needs it")
        if seconds == 0:
            raise ValueError("must be more than 0")
        return seconds

    def exported(self) -> dict[str, Any]:
        """The rule as the YAML file and the API write it (durations as "10m")."""
        body = self.model_dump(by_alias=True)
        for key in ("for", "keep_firing_for", "nodata_after"):
            body[key] = format_duration(body[key])
        return body


@dataclass(frozen=True)
class StoredRule:
    """What the evaluator reads of a stored rule."""

    id: int
    name: str
    kind: str
    figure: str
    params: Mapping[str, Any]
    op: str
    threshold: float | None
    for_s: int
    keep_firing_for_s: int
    nodata_after_s: int | None
    severity: str
    labels: Mapping[str, str]
    unit_ids: tuple[int, ...]
    group_by: tuple[str, ...]
    active: bool = True
    version: int = 1

    @classmethod
    def from_row(cls, row: Any) -> StoredRule:
        m = row._mapping
        return cls(
            id=m["id"],
            name=m["name"],
            kind=m["kind"],
            figure=m["figure"],
            params=orjson.loads(m["params"]),
            op=m["op"],
            threshold=m["threshold"],
            for_s=m["for_s"],
            keep_firing_for_s=m["keep_firing_for_s"],
            nodata_after_s=m["nodata_after_s"],
            severity=m["severity"],
            labels=orjson.loads(m["labels"]),
            unit_ids=tuple(orjson.loads(m["unit_ids"])),
            group_by=tuple(orjson.loads(m["group_by"])),
            active=m["active"],
            version=m["version"],
        )


def compare(value: float, op: str, limit: float) -> bool:
    """``value op limit``."""
    if op == ">":
        return value > limit
    if op == ">=":
        return value >= limit
    if op == "<":
        return value < limit
    if op == "<=":
        return value <= limit
    if op == "==":
        return value == limit
    if op == "!=":
        return value != limit
    raise ValueError(f"{op!r} is not a comparison")
