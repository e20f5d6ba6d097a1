"""What the gate brings: data sources, batches, the push API, file import and pull, its pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from ioc57.core.figures import Figure
from ioc57.core.i18n import N_
from ioc57.ingest import sourcecommands, tables
from ioc57.ingest.commands import import_command
from ioc57.ingest.contractcommand import contract_command
from ioc57.ingest.maintenance import raw_command, rollups_command
from ioc57.ingest.sources import refusal
from ioc57.modules import Link, Module, Panel, Tile, Watch


def _install(app: FastAPI) -> None:
    app.state.refusals.append(refusal)  # a disabled source's token is refused everywhere
    # a push path per record type (before the generic one, which would match them too)
    from ioc57.ingest.push_routes import push_router

    app.include_router(push_router())


MODULE = Module(
    name="ingest",
    tables=(
        tables.sources,
        tables.batches,
        tables.raw_payloads,
        tables.records,
        tables.record_versions,
        tables.rejections,
        tables.rollups,
    ),
    api=("ioc57.ingest.api:router", "ioc57.ingest.records_api:router"),
    pages=(
        "ioc57.ingest.pages:router",
        "ioc57.ingest.importpage:router",
        "ioc57.ingest.examplefile:router",
    ),
    static=Path(__file__).resolve().parent / "static",
    templates=Path(__file__).resolve().parent / "templates",
    nav=(
        Link("/sources", N_("Data sources"), 50, action="sources.read"),
        Link("/ingest/import", N_("Import a file"), 51, action="ingest.import"),
    ),
    panels=(Panel("ioc57.ingest.overview:gate_panel", 40),),
    tiles=(
        Tile(
            "ingest.today",
            N_("Records received today"),
            "ioc57.ingest.centre:today_tile",
            order=90,
            events=("ingest.batch",),
        ),
        Tile(
            "ingest.sources",
            N_("Data sources live"),
            "ioc57.ingest.quiet:sources_tile",
            order=91,
            events=("ingest.batch",),
        ),
    ),
    # a source goes quiet when nothing happens: read again after each batch (one that speaks
    # again leaves the list) and whenever the list is read
    watches=(Watch("ioc57.ingest.quiet:quiet_sources", events=("ingest.batch",)),),
    actions={
        "sources.read": ("admin", "leader", "operator"),
        "sources.write": ("admin",),
        "ingest.read": ("admin", "leader", "operator", "system"),
        "ingest.push": ("admin", "system"),
        "ingest.import": ("admin", "operator"),
        # writing records of a type that names no action of its own (dossiers, readings, ...)
        "ingest.write": ("admin", "operator", "system"),
        # a record read back with its versions (a person: their unit's; a source: its own)
        "records.read": ("admin", "leader", "operator", "officer", "system"),
        "rollups.read": ("admin", "leader", "operator", "officer", "viewer"),
    },
    commands=(
        rollups_command,
        raw_command,
        sourcecommands.source,
        sourcecommands.simulate,
        import_command,
        contract_command,
    ),
    install=_install,
    figures=(
        Figure(
            "ingest.source_records",
            N_("Records a data source sent in the last day (at its last batch)"),
            "ioc57.ingest.figures:source_records",
            uom="count",
            params={"source": N_("The data source's name (all sources when not given)")},
        ),
    ),
)
