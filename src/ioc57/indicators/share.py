"""The value a reported figure stands for: its own value, or its numerator over its denominator
times the indicator's factor (a percentage: × 100), as the scorecard computes it."""

from __future__ import annotations

from typing import Any

from ioc57.indicators.catalogue import Indicator


def shown_value(ind: Indicator | None, value: Any, numerator: Any, denominator: Any) -> Any:
    """The value, else the computed share; None when there is neither (a denominator of 0)."""
    if value is not None:
        return value
    if numerator is None or not denominator:
        return None
    return numerator / denominator * ((ind.factor if ind else None) or 1)
