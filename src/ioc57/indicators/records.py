"""``observation``: a reported value of an indicator for a unit and a period."""

from __future__ import annotations

import math
from datetime import date, timedelta

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ioc57.core.i18n import N_
from ioc57.core.messages import message
from ioc57.core.periods import parse_period
from ioc57.indicators.example import observation_example
from ioc57.ingest.types.base import (
    NOT_FINITE,
    Code,
    Name,
    RecordId,
    RecordModel,
    RecordType,
    Text,
    invalid,
    moment,
    no_contributions,
)

NOT_A_PERIOD = message(
    "indicators.not_a_period",
    N_("'{value}' is not a period code (2025, 2025S1, 2025Q3, 202509, 2025W37 or 20250915)"),
)
NOT_BEGUN = message("indicators.period_not_begun", N_("the period has not begun"))
NO_VALUE = message("indicators.value_missing", N_("give value, or numerator and denominator"))


class Observation(RecordModel):
    # filled in by ``_default_id`` before the field is validated, when the source sends none
    id: RecordId | None = None  # type: ignore[assignment]
    """Defaults to `indicator:unit:period`."""
    indicator: Name
    """The indicator's code in the catalogue."""
    unit: Code
    """The unit the value is for, read as of the end of the period."""
    period: str = Field(min_length=4, max_length=10)
    """`2024`, `2025S1`, `2025Q3`, `202509`, `2025W37` or `20250915`."""
    value: float | None = None
    """The value; for a ratio, give numerator and denominator instead."""
    numerator: float | None = None
    """For a ratio: value = numerator / denominator × the indicator's factor."""
    denominator: float | None = None
    """For a ratio, with numerator."""
    source: Text
    """The citation: a document, or an article's file and sentence."""

    @field_validator("period")
    @classmethod
    def _period(cls, value: str, info: ValidationInfo) -> str:
        try:
            period = parse_period(value)
        except ValueError:
            raise invalid(NOT_A_PERIOD, value=value) from None
        if period.start > (moment(info) + timedelta(days=1)).date():
            raise invalid(NOT_BEGUN)
        return value

    @field_validator("value", "numerator", "denominator")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise invalid(NOT_FINITE)
        return value

    @model_validator(mode="before")
    @classmethod
    def _default_id(cls, data):
        if isinstance(data, dict) and not data.get("id") and data.get("indicator"):
            data = dict(data)
            data["id"] = f"{data['indicator']}:{data.get('unit')}:{data.get('period')}"
        return data

    @model_validator(mode="after")
    def _some_value(self):
        if self.value is None and (self.numerator is None or self.denominator is None):
            raise invalid(NO_VALUE)
        return self


def period_end(record: Observation) -> date:
    return parse_period(record.period).end


OBSERVATION = RecordType(
    name="observation",
    label=N_("Indicator value"),
    model=Observation,
    as_of=period_end,
    contributions=no_contributions,
    write_action="observations.submit",
    review_action="observations.review",
    entered=True,
    example=observation_example,  # the import page's example file
)
