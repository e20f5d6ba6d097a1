"""What the citizen-reports module brings: the ``feedback`` record (hotline 1022, the web, apps,
Open311, other systems), the reports' life from intake to a published answer, their deadlines,
the public form and pages, Open311 GeoReport v2, and the figures the IOC and alert rules watch."""

from __future__ import annotations

from fastapi import FastAPI

from ioc57.feedback import project, tables
from ioc57.feedback.commands import feedback_command
from ioc57.feedback.records import FEEDBACK
from ioc57.feedback.simulation import Reports
from ioc57.modules import Module


def _install(app: FastAPI) -> None:
    """The web app's background work."""
    from ioc57.feedback import suggest_job  # the suggestion's models, retrained as reports confirm

    suggest_job.install(app)


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
    api=(
        "ioc57.feedback.api:router",
        "ioc57.feedback.suggest_api:router",
    ),
    projectors={"feedback": (project.project_reports,)},
    simulation=(Reports,),
    commands=(feedback_command,),
    install=_install,
)
