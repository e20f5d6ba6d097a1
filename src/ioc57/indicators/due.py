"""What a unit must report, for which period, and what it has reported: the due list.

Each reported indicator that the unit's level reports (``Indicator.reported_by``: a commune or ward
reports what its own work makes, the province and its agencies the rest) and that still applies
(``until``) is due for the last period of its kind that has ended (a monthly one for last month, a
yearly one for last year), or for the period a person chooses; beside it, the value the unit has
given for that period, if any, with its status (submitted, approved, rejected).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.periods import Period, period_containing
from ioc57.indicators.catalogue import Indicator, catalogue
from ioc57.indicators.share import shown_value
from ioc57.indicators.tables import indicator_values
from ioc57.units.tables import units


@dataclass
class Due:
    indicator: Indicator
    period: str
    stored: Any = None  # the row of indicator_values, when the unit has given a value

    @property
    def key(self) -> str:
        return f"{self.indicator.code}.{self.period}"

    @property
    def ratio(self) -> bool:
        return self.indicator.aggregation == "ratio"

    @property
    def shown(self) -> Any:
        row = self.stored
        return None if row is None else shown_value(self.indicator, *_values(row))


def _values(row: Any) -> tuple[Any, Any, Any]:
    return row.value, row.numerator, row.denominator


def last_ended(kind: str, on: date) -> Period:
    """The last period of ``kind`` (month, quarter, year) that has ended before ``on``."""
    return period_containing(period_containing(on, kind).start - timedelta(days=1), kind)


def due_list(conn: Connection, unit_id: int, on: date, period: Period | None = None) -> list[Due]:
    """The unit's due values: every reported indicator its level reports, with its due period
    (``period`` for all that accept it, when given) unless the indicator no longer applied then,
    and what is stored for it; what is still to report first."""
    level = conn.execute(select(units.c.level).where(units.c.id == unit_id)).scalar()
    reporter = "commune" if level == "commune" else "province"
    rows = []
    for ind in catalogue().indicators:
        if ind.source != "reported" or reporter not in ind.reported_by:
            continue
        when = period or last_ended(ind.period_type, on)
        if period is not None and not ind.accepts_period(period.code):
            continue
        if ind.until is not None and when.start > ind.until:
            continue
        rows.append(Due(ind, when.code))
    if not rows:
        return rows
    keys = {(d.indicator.code, d.period) for d in rows}
    query = select(indicator_values).where(
        indicator_values.c.unit_id == unit_id,
        indicator_values.c.period.in_(sorted({p for _, p in keys})),
    )
    stored = {(r.indicator, r.period): r for r in conn.execute(query)}
    stored = {k: r for k, r in stored.items() if k in keys}
    for due in rows:
        due.stored = stored.get((due.indicator.code, due.period))
    # what is still to report first, then what waits or was sent back, then what counts
    order = {None: 0, "rejected": 1, "submitted": 2, "approved": 3}
    return sorted(rows, key=lambda d: order.get(d.stored.status if d.stored else None, 0))
