"""What the scorecard brings: the catalogue, reported values (``observation``), targets, progress
status and ranks, their API and pages."""

from __future__ import annotations

from pathlib import Path

from ioc57.core.figures import Figure
from ioc57.core.i18n import N_
from ioc57.indicators import store, tables
from ioc57.indicators.records import OBSERVATION
from ioc57.indicators.review import REVIEWED
from ioc57.modules import Link, Module, Panel, Tile, Watch

# what moves the scorecards' figures: values through the gate, a value approved or rejected
VALUES_MOVE = ("ingest.batch:observation", REVIEWED)

MODULE = Module(
    name="indicators",
    record_types=(OBSERVATION,),
    tables=(
        tables.indicator_values,
        tables.indicator_value_history,
        tables.indicator_targets,
        tables.indicator_rollups,
        tables.indicator_rollups_version,
    ),
    api=("ioc57.indicators.api:router",),
    # the entry page before the indicator pages: /indicators/entry is no indicator's code
    pages=(
        "ioc57.indicators.entrypage:router",
        "ioc57.indicators.reportpage:router",
        "ioc57.indicators.reviewpage:router",
        "ioc57.indicators.downloads:router",
        "ioc57.indicators.pages:router",
    ),
    templates=Path(__file__).resolve().parent / "templates",
    static=Path(__file__).resolve().parent / "static",
    nav=(
        Link("/scorecard", N_("Scorecard"), 20),
        Link("/indicators", N_("Indicators"), 30),
        # for those who report: their unit's due list and a form (the template for many values)
        Link("/indicators/report", N_("Report figures"), 31, action="observations.submit"),
        # for those who approve: the values waiting, counted beside the entry
        Link(
            "/indicators/review",
            N_("Approve figures"),
            32,
            badge="ioc57.indicators.review:waiting_count",
            badge_label=N_("Figures awaiting your approval"),
            badge_events=("ingest.batch", REVIEWED),
            action="observations.review",
        ),
    ),
    panels=(Panel("ioc57.indicators.overview:indicators_panel", 10),),
    # read again when values arrive through the gate or are approved or rejected
    tiles=(
        Tile(
            "indicators.status",
            N_("Resolution 57 indicators on track"),
            "ioc57.indicators.centre:status_tile",
            order=60,
            events=VALUES_MOVE,
        ),
    ),
    watches=(Watch("ioc57.indicators.offtrack:off_track", events=VALUES_MOVE),),
    actions={
        "observations.submit": ("admin", "leader", "officer"),
        "observations.review": ("admin", "leader"),
        # values not approved yet (submitted, rejected), within one's unit: those who report and
        # review
        "observations.drafts": ("admin", "leader", "officer"),
        "targets.write": ("admin", "leader"),
    },
    checks={"observation": (store.check_observation,)},
    projectors={"observation": (store.project,)},
    demo="ioc57.indicators.demo:load_demo",
    figures=(
        Figure(
            "indicators.value",
            N_("An indicator's latest value per unit (its own limit: the unit's target)"),
            "ioc57.indicators.figures:value_samples",
            record_types=("observation",),
            params={"indicator": N_("The indicator's code in the catalogue")},
            required=("indicator",),
        ),
        Figure(
            "indicators.status",
            N_("An indicator's progress status per unit: 0 on track, 1 limited, 2 off track"),
            "ioc57.indicators.figures:status_samples",
            record_types=("observation",),
            params={"indicator": N_("The indicator's code in the catalogue")},
            required=("indicator",),
        ),
    ),
)
