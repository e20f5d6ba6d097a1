"""What the traceability module brings: GS1 master data and EPCIS 2.0 events through the gate,
their query and trace, the tamper-evident log, and the public page of a lot."""

from __future__ import annotations

from ioc57.modules import Module
from ioc57.traceability import capture_api, project, tables
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
    api=(capture_api.router,),
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
