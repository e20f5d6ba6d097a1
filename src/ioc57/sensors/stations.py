"""``station``: a sensor station as the gate validates it (code, name, place, commune, position,
the metrics it measures, and thresholds of its own)."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from ioc57.ingest.types.base import Code, RecordId, RecordModel

StationCode = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9._:-]{1,64}$")
]
Metric = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_]{0,39}$")]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Station(RecordModel):
    id: RecordId | None = None  # type: ignore[assignment]  # its code when none is sent
    code: StationCode
    name: ShortText
    place: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    unit: Code  # the commune it stands in
    lat: float | None = Field(default=None, ge=8.0, le=23.5)  # within Vietnam's mainland
    lon: float | None = Field(default=None, ge=102.0, le=110.0)
    metrics: list[Metric] = Field(default_factory=lambda: ["salinity"], min_length=1, max_length=20)
    # limits of its own, per metric (salinity in ‰): a reading above one raises the station's alert
    thresholds: dict[Metric, float] = Field(default_factory=dict, max_length=20)

    @field_validator("thresholds")
    @classmethod
    def _finite(cls, value: dict[str, float]) -> dict[str, float]:
        for metric, limit in value.items():
            if not math.isfinite(limit) or limit < 0:
                raise ValueError(f"the threshold of {metric!r} must be a number of at least 0")
        return value

    @model_validator(mode="after")
    def _default_id(self) -> Station:
        self.id = self.id or self.code
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        self.metrics = list(dict.fromkeys(self.metrics))
        return self
