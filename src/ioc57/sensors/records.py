"""The sensors' record types: ``station`` (master data, kept under its code) and ``reading`` (one
sensor reading, salinity first)."""

from __future__ import annotations

import math
from datetime import date

from pydantic import Field, field_validator, model_validator

from ioc57.core.clock import LOCAL_TZ
from ioc57.core.i18n import N_
from ioc57.ingest.types.base import (
    NOT_FINITE,
    Name,
    PastTime,
    RecordId,
    RecordModel,
    RecordType,
    invalid,
    local_day,
    named_today,
    no_contributions,
)
from ioc57.sensors.stations import Station
from ioc57.sensors.stationunits import reading_unit


class Reading(RecordModel):
    # filled in by ``_default_id`` before the field is validated, when the source sends none
    id: RecordId | None = None  # type: ignore[assignment]
    """Defaults to `station:metric:observed_at`."""
    station: Name
    """The station's code (a `station` record of the same source)."""
    metric: Name
    """`salinity`, `water_level`, ..."""
    value: float
    uom: str = Field(min_length=1, max_length=20)
    """The unit of measure: `ppt` (‰, g/L), `cm`, ..."""
    observed_at: PastTime

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise invalid(NOT_FINITE)
        return value

    @model_validator(mode="before")
    @classmethod
    def _default_id(cls, data):
        if (
            isinstance(data, dict)
            and not data.get("id")
            and data.get("station")
            and data.get("observed_at")
        ):
            data = dict(data)
            data["id"] = f"{data['station']}:{data.get('metric')}:{data['observed_at']}"
        return data


def observed_day(record: Reading) -> date:
    return record.observed_at.astimezone(LOCAL_TZ).date()


def contributions(data: dict):
    yield (
        f"reading.{data['metric']}",
        local_day(data["observed_at"]),
        f"station={data['station']}",
        1,
        float(data["value"]),
    )


READING = RecordType(
    name="reading",
    label=N_("Sensor reading"),
    model=Reading,
    as_of=observed_day,
    contributions=contributions,
    unit_required=False,
    # its station's commune (a station nobody created: rejected naming ``station``)
    derive_unit=reading_unit,
)


STATION = RecordType(
    name="station",
    label=N_("Monitoring station"),
    model=Station,
    as_of=named_today,
    contributions=no_contributions,
    write_action="sensors.write",
    entered=True,
)
