"""What the traceability module brings: GS1 master data and EPCIS 2.0 events through the gate,
their query and trace, the tamper-evident log, and the public page of a lot."""

from __future__ import annotations

from pathlib import Path

from ioc57.core.i18n import N_
from ioc57.modules import Link, Module, Panel
from ioc57.traceability import pages, project, tables, views_api
from ioc57.traceability.indicators import PROVIDERS
from ioc57.traceability.overview import traceability_panel
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
    actions={
        # the IOC's views of products, lots, events and the log (an officer: its unit's)
        "traceability.read": ("admin", "leader", "operator", "officer", "viewer"),
        # master data and events, through the gate (a source's own token writes its types);
        # an officer writes for its own commune
        "traceability.write": ("admin", "leader", "officer"),
        # sign a checkpoint of the log now
        "traceability.seal": ("admin",),
    },
    # the IOC's views: the page, its summary API, the overview's panel, the computed indicator
    api=(views_api.router,),
    pages=(pages.router,),
    templates=Path(__file__).resolve().parent / "templates",
    static=Path(__file__).resolve().parent / "static",
    nav=(Link("/traceability", N_("Traceability"), 37),),
    panels=(Panel(traceability_panel, 27),),
    providers=PROVIDERS,
    projectors={
        "trace_product": (project.project_products,),
        "trace_location": (project.project_locations,),
        "trace_lot": (project.project_lots,),
        "epcis_event": (project.project_events,),
    },
)
