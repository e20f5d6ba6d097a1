"""The traceability record types at the gate: master data (``trace_product``, ``trace_location``,
``trace_lot``) and EPCIS 2.0 events (``epcis_event``), one event a record.

Their models are in ``masterdata`` and ``eventmodel``. An event without an ``eventID`` gets its
event hash, so that the same event sent twice is one record; an event sent again with an
``errorDeclaration`` (same hash: the declaration is no part of it) updates the stored one.

Master data names the unit it belongs to (``unit``: a commune, or a province for a product); an
event's unit is the commune of its location, filled in by the capture endpoint from the locations
(``capture``), or named by a source that pushes events through the gate itself.
"""

from __future__ import annotations

from typing import Any

from ioc57.core.i18n import N_
from ioc57.ingest.types.base import RecordType, named_today, no_contributions
from ioc57.traceability.eventmodel import EpcisEvent
from ioc57.traceability.example import location_example, lot_example, product_example
from ioc57.traceability.masterdata import Location, Lot, Product


def _type(name: str, model: type, **kw: Any) -> RecordType:
    return RecordType(
        name=name,
        model=model,
        as_of=named_today,
        contributions=no_contributions,
        write_action="traceability.write",
        entered=True,
        **kw,
    )


PRODUCT = _type(
    "trace_product", Product, example=product_example, label=N_("Traced product")
)  # example: the import page's


LOCATION = _type(
    "trace_location",
    Location,
    private=("contact",),
    label=N_("Traceability location"),
    example=location_example,
    example_level="commune",  # where it lies
)


LOT = _type("trace_lot", Lot, label=N_("Product lot"), example=lot_example, example_level="commune")


EVENT = _type("epcis_event", EpcisEvent, label=N_("Traceability event (EPCIS)"))
