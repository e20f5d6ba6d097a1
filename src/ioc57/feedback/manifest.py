"""What the citizen-reports module brings: the ``feedback`` record (hotline 1022, the web, apps,
Open311, other systems), the reports' life from intake to a published answer, their deadlines,
the public form and pages, Open311 GeoReport v2, and the figures the IOC and alert rules watch."""

from __future__ import annotations

from pathlib import Path

from ioc57.core.figures import Figure
from ioc57.core.i18n import N_
from ioc57.feedback import background, project, tables
from ioc57.feedback.commands import feedback_command
from ioc57.feedback.indicators import PROVIDERS
from ioc57.feedback.open311.commands import open311_command
from ioc57.feedback.records import FEEDBACK
from ioc57.feedback.simulation import Reports
from ioc57.modules import Layer, Link, Module, Panel, Tile, Watch

# after which the operations centre reads the reports' concerns, tiles and layer again
CENTRE_EVENTS = ("feedback.deadline", "ingest.batch:feedback")

HERE = Path(__file__).resolve().parent


MODULE = Module(
    name="feedback",
    record_types=(FEEDBACK,),
    tables=(tables.reports, tables.steps, tables.photos, tables.routes, tables.open311_keys),
    actions={
        # the reports (an officer: its unit's and its agency's), without contact details
        "feedback.read": ("admin", "leader", "operator", "officer", "viewer"),
        # a reporter's contact details, to call them back
        "feedback.contact": ("admin", "operator", "officer"),
        # take reports in (hotline 1022), forward, refuse, merge, publish, close, reopen
        "feedback.triage": ("admin", "operator"),
        # start, ask for information, answer (an officer: its agency's reports)
        "feedback.answer": ("admin", "operator", "officer"),
        # the routes of categories to agencies, Open311 keys
        "feedback.admin": ("admin",),
    },
    # fixed paths before parameters: the export before /reports/{report_id}; /feedback,
    # /feedback/routes, /feedback/panel before /feedback/{report_id} (the report's page, last)
    api=(
        "ioc57.feedback.export_api:router",
        "ioc57.feedback.api:router",
        "ioc57.feedback.routes_api:router",
        "ioc57.feedback.stats_api:router",  # the IOC panel's figures and map
        "ioc57.feedback.public_api:router",
        "ioc57.feedback.open311.api:router",
        "ioc57.feedback.photos_api:router",  # a report's photo, for staff
        "ioc57.feedback.suggest_api:router",
    ),
    pages=(
        # the citizen's pages: the public form, the tracking page and photos, published answers
        "ioc57.feedback.public_form:router",
        "ioc57.feedback.tracking_page:router",
        "ioc57.feedback.public_pages:router",
        "ioc57.feedback.panel:router",
        "ioc57.feedback.desk:router",
        "ioc57.feedback.deskreport:router",
    ),
    templates=HERE / "templates",
    static=HERE / "static",
    nav=(
        Link(
            "/feedback",
            N_("Citizen reports"),
            36,
            badge="ioc57.feedback.deskqueue:late_count",
            badge_label=N_("Reports past their deadline"),
            badge_events=("ingest.batch", "feedback.deadline"),
        ),
    ),
    panels=(Panel("ioc57.feedback.overview:feedback_panel", 24),),
    # the operations centre: the reports past deadline, the open ones (a figure and a map layer)
    # and the share answered on time this month
    watches=(Watch("ioc57.feedback.centre:late", events=CENTRE_EVENTS),),
    tiles=(
        Tile(
            "feedback.open",
            N_("Citizen reports open"),
            "ioc57.feedback.centre_tiles:open_tile",
            order=50,
            events=CENTRE_EVENTS,
        ),
        Tile(
            "feedback.on_time",
            N_("Citizen reports answered on time"),
            "ioc57.feedback.centre_tiles:on_time_tile",
            order=55,
            events=("ingest.batch:feedback",),
        ),
    ),
    layers=(
        Layer(
            "feedback.open",
            N_("Citizen reports open"),
            "ioc57.feedback.centre_layer:open_layer",
            order=20,
            events=CENTRE_EVENTS,
        ),
    ),
    projectors={"feedback": (project.project_reports,)},
    simulation=(Reports,),
    demo="ioc57.feedback.demo:load_demo",
    providers=PROVIDERS,
    install=background.install,
    figures=(
        Figure(
            "feedback.late",
            N_("Citizen reports past their deadline, per agency or commune"),
            "ioc57.feedback.figures:late_samples",
            uom="count",
            record_types=("feedback",),
            params={"by": N_("agency (the default), commune, or both")},
        ),
        Figure(
            "feedback.received",
            N_("Citizen reports received today, per commune"),
            "ioc57.feedback.figures:received_samples",
            uom="count",
            record_types=("feedback",),
        ),
    ),
    commands=(feedback_command, open311_command),
)
