"""Honest aggregation across units and periods, by the indicator's rule.

- ``sum``: counts add up.
- ``ratio``: Σnumerator / Σdenominator × factor — never an average of ratios. A component given only
  as a percentage (no numerator and denominator) makes the aggregate impossible: it is not computed.
- ``none``: never aggregated; the components are shown one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Notes are data shown as they are, in Vietnamese first (the API's readers and the pages' alike).
NOT_AGGREGATABLE = "không cộng gộp được (có thành phần chỉ báo cáo tỷ lệ, không có tử số, mẫu số)"


@dataclass(frozen=True)
class Part:
    """One reported value: for a unit (and where it came from) and a period."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    unit: str = ""
    origin: str | None = None  # e.g. "Tỉnh Tiền Giang (mã 82, trước 01/07/2025)"


@dataclass
class Aggregate:
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    aggregatable: bool = True
    parts: list[Part] = field(default_factory=list)
    note: str | None = None
    scope: str = "own"  # "below": built from the values of the units under it


def aggregate(rule: str, parts: Sequence[Part], factor: float | None = None) -> Aggregate:
    parts = list(parts)
    if not parts:
        return Aggregate(None, parts=parts)
    if len(parts) == 1:
        p = parts[0]
        value = p.value
        if value is None and p.numerator is not None and p.denominator:
            value = p.numerator / p.denominator * (factor or 1)
        return Aggregate(value, p.numerator, p.denominator, True, parts)
    if rule == "sum":
        if any(p.value is None for p in parts):
            return Aggregate(None, aggregatable=False, parts=parts, note="a component has no value")
        return Aggregate(sum(p.value for p in parts if p.value is not None), parts=parts)
    if rule == "ratio":
        if any(p.numerator is None or p.denominator is None for p in parts):
            return Aggregate(
                None,
                aggregatable=False,
                parts=parts,
                note="a component is given only as a percentage",
            )
        num = sum(p.numerator for p in parts if p.numerator is not None)
        den = sum(p.denominator for p in parts if p.denominator is not None)
        if den == 0:
            return Aggregate(
                None, num, den, aggregatable=False, parts=parts, note="the denominator is 0"
            )
        return Aggregate(num / den * (factor or 1), num, den, parts=parts)
    return Aggregate(None, aggregatable=False, parts=parts, note=NOT_AGGREGATABLE)


def competition_ranks(values: Iterable[tuple[str, float | None]], direction: str) -> dict[str, int]:
    """Rank 1 is best; ties share a rank and the next rank is skipped (1, 2, 2, 4)."""
    present = [(key, v) for key, v in values if v is not None]
    ordered = sorted(present, key=lambda kv: kv[1], reverse=direction == "positive")
    ranks: dict[str, int] = {}
    for position, (key, value) in enumerate(ordered, start=1):
        if position > 1 and value == ordered[position - 2][1]:
            ranks[key] = ranks[ordered[position - 2][0]]
        else:
            ranks[key] = position
    return ranks
