"""The example row of a ``trace_product`` (the import page's example file, ``ingest.columns``):
a product whose GTIN has a right check digit (GS1 Vietnam's prefix 893, a made-up company)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

GTIN_BODY = "0893500100009"


def product_example(unit: str, moment: datetime) -> dict[str, Any]:
    from ioc57.traceability.epc import check_digit

    return {
        "gtin": GTIN_BODY + str(check_digit(GTIN_BODY)),
        "name": "EXAMPLE",
        "category": "other",
        "business": "EXAMPLE",
        "tax_code": "0300000000",
        "unit": unit,
        "updated_at": moment,
    }
