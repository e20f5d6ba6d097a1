"""What the public-services module brings: procedures and dossiers, the live Decision 766 index
computed from them and its pages, the operator's work list, the procedure catalogue, and the
indicators computed live from the dossiers."""

from __future__ import annotations

from pathlib import Path

from ioc57.core.figures import Figure
from ioc57.core.i18n import N_
from ioc57.modules import Layer, Link, Module, Panel, Tile, Watch
from ioc57.services import tables, worklist
from ioc57.services.commands import worklist_command
from ioc57.services.dossier import DOSSIER
from ioc57.services.indicators import PROVIDERS
from ioc57.services.procedure import PROCEDURE
from ioc57.services.simulation import Dossiers, ProcedureCatalogue

EVENTS = ("ingest.batch:dossier",)  # every change of a dossier comes through the gate

MODULE = Module(
    name="services",
    record_types=(PROCEDURE, DOSSIER),
    tables=(tables.open_dossiers,),
    api=("ioc57.services.index_api:router", "ioc57.services.worklist_api:router"),
    pages=("ioc57.services.pages:router", "ioc57.services.worklist_pages:router"),
    templates=Path(__file__).resolve().parent / "templates",
    static=Path(__file__).resolve().parent / "static",
    nav=(Link("/services", N_("Decision 766 index"), 25),),
    panels=(Panel("ioc57.services.overview:index_panel", 20),),
    # the operations centre: late and due-soon dossiers, three key figures, on-time by commune
    watches=(Watch("ioc57.services.concerns:find", events=EVENTS),),
    tiles=(
        Tile(
            "services.received",
            N_("Dossiers received"),
            "ioc57.services.tiles:received",
            10,
            EVENTS,
        ),
        Tile(
            "services.on_time",
            N_("Dossiers settled on time"),
            "ioc57.services.tiles:on_time",
            11,
            EVENTS,
        ),
        Tile(
            "services.index766",
            N_("Decision 766 index"),
            "ioc57.services.tiles:index766",
            12,
            EVENTS,
        ),
    ),
    layers=(
        Layer(
            "services.on_time",
            N_("Dossiers on time by commune"),
            "ioc57.services.layer:on_time_layer",
            30,
            EVENTS,
        ),
    ),
    actions={
        # the index, the work list, a dossier, the procedure catalogue: every signed-in person
        # but a data source, an officer within its own unit's subtree
        "services.read": ("admin", "leader", "operator", "officer", "viewer"),
    },
    commands=(worklist_command,),
    providers=PROVIDERS,
    projectors={"dossier": (worklist.project,)},
    demo="ioc57.services.demo:load_demo",
    simulation=(ProcedureCatalogue, Dossiers),
    figures=(
        Figure(
            "services.index766",
            N_("Decision 766 index per unit (out of 100)"),
            "ioc57.services.figures:index766_samples",
            record_types=("dossier", "procedure"),
            params={
                "level": N_("province (default), commune or agency"),
                "province": N_("Only the units of this province (its code)"),
                "period": N_("A period code or a date range; the current month by default"),
            },
        ),
        Figure(
            "services.overdue_dossiers",
            N_("Open dossiers past their due time, per unit or agency"),
            "ioc57.services.figures:overdue_samples",
            uom="count",
            record_types=("dossier",),
            params={"by": N_("unit (where received, the default) or agency")},
        ),
    ),
)
