"""The example row of an ``observation`` (the import page's example file, ``ingest.columns``): a
value of the first reported count indicator of the catalogue, for last year."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def observation_example(unit: str, moment: datetime) -> dict[str, Any]:
    from ioc57.indicators.catalogue import catalogue

    reported = [i for i in catalogue().indicators if i.source == "reported"]
    counted = [i for i in reported if i.kind == "count" and i.aggregation == "sum"] or reported
    return {
        "indicator": counted[0].code,
        "unit": unit,
        "period": str(moment.year - 1),
        "value": 1,
        "source": "EXAMPLE",
        "updated_at": moment,
    }
