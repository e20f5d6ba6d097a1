"""What the traceability module brings: GS1 master data and EPCIS 2.0 events through the gate,
their query and trace, the tamper-evident log, and the public page of a lot."""

from __future__ import annotations

from pathlib import Path

from ioc57.modules import Module
from ioc57.traceability import lotpage, project, tables
from ioc57.traceability.records import EVENT, LOCATION, LOT, PRODUCT

MODULE = Module(
    name="traceability",
    record_types=(PRODUCT, LOCATION, LOT, EVENT),
    tables=(
        tables.products,
        tables.locations,
        tables.certificates,
        tables.lots,
        tables.events,
        tables.event_epcs,
        tables.chain,
        tables.keys,
        tables.checkpoints,
    ),
    # the public page of a lot at its GS1 Digital Link path, and its QR code
    pages=(lotpage.router,),
    templates=Path(__file__).resolve().parent / "templates",
    static=Path(__file__).resolve().parent / "static",
    actions={
        # the IOC's views of products, lots, events and the log (an officer: its unit's)
        "traceability.read": ("admin", "leader", "operator", "officer", "viewer"),
        # master data and events, through the gate (a source's own token writes its types);
        # an officer writes for its own commune
        "traceability.write": ("admin", "leader", "officer"),
        # sign a checkpoint of the log now
        "traceability.seal": ("admin",),
    },
    projectors={
        "trace_product": (project.project_products,),
        "trace_location": (project.project_locations,),
        "trace_lot": (project.project_lots,),
        "epcis_event": (project.project_events,),
    },
)
