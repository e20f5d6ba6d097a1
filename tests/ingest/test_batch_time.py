"""The time checks of a record ("the period has not begun", "more than a day in the future")
compare with the time of the gate's batch when the validation context carries it (one clock
read for a batch of thousands of rows), and with the clock otherwise (a form, an API body)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from ioc57 import modules
from ioc57.ingest.types import RECORD_TYPES
from ioc57.ingest.types.base import AT

from .records import dossier, observation

BATCH = datetime(2025, 1, 1, 3, 0, tzinfo=UTC)  # the batch's time, long past


@pytest.fixture(scope="module")
def models():
    modules.load()
    return RECORD_TYPES["observation"].model, RECORD_TYPES["dossier"].model


def _codes(exc: ValidationError) -> list[str]:
    return [e["type"] for e in exc.errors()]


def test_a_period_that_began_after_the_batch_s_time_is_refused(models):
    Observation, _ = models
    row = observation(period="202512")
    assert Observation.model_validate(row).period == "202512"  # begun by the clock
    assert Observation.model_validate(row, context={AT: datetime(2025, 12, 1, tzinfo=UTC)})
    with pytest.raises(ValidationError) as caught:
        Observation.model_validate(row, context={AT: BATCH})
    assert _codes(caught.value) == ["indicators.period_not_begun"]


def test_a_time_more_than_a_day_after_the_batch_s_time_is_refused(models):
    _, Dossier = models
    row = dossier(1, received_at="2025-01-02T08:00:00+07:00", due_at="2025-01-10T17:00:00+07:00")
    row["updated_at"] = row["received_at"]
    assert Dossier.model_validate(row)  # long past by the clock
    assert Dossier.model_validate(row, context={AT: datetime(2025, 1, 1, 12, 0, tzinfo=UTC)})
    with pytest.raises(ValidationError) as caught:
        Dossier.model_validate(row, context={AT: datetime(2024, 12, 31, tzinfo=UTC)})
    assert "record.in_future" in _codes(caught.value)
