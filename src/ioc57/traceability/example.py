"""The example rows of a ``trace_product``, a ``trace_location`` and a ``trace_lot`` (the import
page's example files, ``ingest.columns``): a product whose GTIN has a right check digit (GS1
Vietnam's prefix 893, a made-up company), a farm whose GLN has one too, and a lot of the product
grown on the farm; import them in that order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

GTIN_BODY = "0893500100009"
GLN_BODY = "893500100001"


def _checked(body: str) -> str:
    from ioc57.traceability.epc import check_digit

    return body + str(check_digit(body))


def product_example(unit: str, moment: datetime) -> dict[str, Any]:
    return {
        "gtin": _checked(GTIN_BODY),
        "name": "EXAMPLE",
        "category": "other",
        "business": "EXAMPLE",
        "tax_code": "0300000000",
        "unit": unit,
        "updated_at": moment,
    }


def location_example(unit: str, moment: datetime) -> dict[str, Any]:
    """A farm in the commune ``unit``."""
    return {
        "gln": _checked(GLN_BODY),
        "name": "EXAMPLE",
        "kind": "farm",
        "unit": unit,
        "updated_at": moment,
    }


def lot_example(unit: str, moment: datetime) -> dict[str, Any]:
    """A lot of the example product, from the example farm in the commune ``unit``."""
    return {
        "gtin": _checked(GTIN_BODY),
        "lot": "EXAMPLE-1",
        "unit": unit,
        "origin": _checked(GLN_BODY),
        "harvested_on": moment.date(),
        "updated_at": moment,
    }
