"""What the alerts module brings: rules on the figures the modules offer, the alerts they raise and
their states, acknowledgements, silences, inhibitions, and notifications in the app, by webhook and
by email."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from ioc57.alerts import tables
from ioc57.alerts.commands import alerts_command
from ioc57.core.i18n import N_
from ioc57.modules import Link, Module, Panel, Tile, Watch

HERE = Path(__file__).resolve().parent


def _install(app: FastAPI) -> None:
    from ioc57.alerts.evaluator import install  # the web app's background work
    from ioc57.alerts.notify import Notifier

    install(app)
    # due notification groups and deliveries, every IOC57_ALERTS_NOTIFY_S, once ``ioc57 serve`` runs
    notifier = Notifier(app.state.engine, app.state.settings)
    app.state.background.append((notifier.start, notifier.stop))


MODULE = Module(
    name="alerts",
    tables=(
        tables.rules,
        tables.instances,
        tables.transitions,
        tables.silences,
        tables.inhibitions,
        tables.channels,
        tables.groups,
        tables.deliveries,
    ),
    # the fixed paths (/alerts/rules, …) before /alerts/{alert_id}
    pages=(
        "ioc57.alerts.pages:router",
        "ioc57.alerts.rulespage:router",
        "ioc57.alerts.silencespage:router",
        "ioc57.alerts.channelspage:router",
        "ioc57.alerts.alertpage:router",
    ),
    templates=HERE / "templates",
    static=HERE / "static",
    nav=(
        Link(
            "/alerts",
            N_("Alerts"),
            60,
            badge="ioc57.alerts.pagereads:unacknowledged_count",
            badge_label=N_("Alerts firing, not acknowledged"),
            badge_events=("alerts.changed",),
            icon="/static/modules/alerts/bell.svg",
        ),
    ),
    panels=(Panel("ioc57.alerts.overview:alerts_panel", 5),),
    # the operations centre: each alert firing (the home's list, the wall's alert feed), and the
    # count firing by severity
    watches=(Watch("ioc57.alerts.centre:firing", events=("alerts.changed",)),),
    tiles=(
        Tile(
            "alerts.firing",
            N_("Alerts firing"),
            "ioc57.alerts.centre:firing_tile",
            order=70,
            events=("alerts.changed",),
        ),
    ),
    api=(
        "ioc57.alerts.rules_api:router",
        "ioc57.alerts.alerts_api:router",
        "ioc57.alerts.notify_api:router",
    ),
    install=_install,
    commands=(alerts_command,),
    demo="ioc57.alerts.demo:load_demo",
    actions={
        # the alerts and their history (an officer: its unit's)
        "alerts.read": ("admin", "leader", "operator", "officer", "viewer"),
        # acknowledge an alert, silence alerts
        "alerts.respond": ("admin", "leader", "operator"),
        # rules, inhibitions and channels; replay dead letters
        "alerts.configure": ("admin", "operator"),
    },
)
