"""What the traceability module brings: GS1 master data and EPCIS 2.0 events through the gate,
their query and trace, the tamper-evident log, the IOC's views, and the public page of a lot."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI

from ioc57.core.i18n import N_
from ioc57.modules import Layer, Link, Module, Panel, Tile
from ioc57.traceability import project, project_masterdata, tables
from ioc57.traceability.commands import trace_command
from ioc57.traceability.indicators import PROVIDERS
from ioc57.traceability.keys import NO_KEY
from ioc57.traceability.records import EVENT, LOCATION, LOT, PRODUCT

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent


def _install(app: FastAPI) -> None:
    # a checkpoint of each chain every IOC57_TRACE_SEAL_S seconds, once ``ioc57 serve`` runs it
    settings = app.state.settings
    if settings.trace_key_path is None:  # PostgreSQL without IOC57_TRACE_KEY_FILE: said once
        log.warning("traceability: the log is not sealed: %s", NO_KEY)
        return
    from ioc57.traceability.checkpoints import Sealer  # the web app's background work

    sealer = Sealer(app.state.engine, settings.trace_key_path, settings.trace_seal_s)
    app.state.background.append((sealer.start, sealer.stop))


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
    api=(
        "ioc57.traceability.capture_api:router",
        "ioc57.traceability.ledger_api:router",
        "ioc57.traceability.views_api:router",
        "ioc57.traceability.query_api:router",
    ),
    # fixed paths before parameters
    pages=(
        "ioc57.traceability.ledgerpage:router",
        "ioc57.traceability.pages:router",
        # the public page of a lot at its GS1 Digital Link path, its QR code
        "ioc57.traceability.lotpage:router",
    ),
    templates=HERE / "templates",
    static=HERE / "static",
    nav=(Link("/traceability", N_("Traceability"), 37),),
    panels=(Panel("ioc57.traceability.overview:traceability_panel", 27),),
    tiles=(
        Tile(
            "traceability.lots",
            N_("Lots traced"),
            "ioc57.traceability.centre:lots_tile",
            order=80,
            events=("ingest.batch:epcis_event", "ingest.batch:trace_lot"),
        ),
    ),
    layers=(
        Layer(
            "traceability.farms",
            N_("Traced farms"),
            "ioc57.traceability.centre:farms_layer",
            order=40,
            events=("ingest.batch:trace_location", "ingest.batch:trace_lot"),
        ),
    ),
    providers=PROVIDERS,
    commands=(trace_command,),
    install=_install,
    projectors={
        "trace_product": (project_masterdata.project_products,),
        "trace_location": (project_masterdata.project_locations,),
        "trace_lot": (project_masterdata.project_lots,),
        "epcis_event": (project.project_events,),
    },
    demo="ioc57.traceability.demo:load_demo",
)
