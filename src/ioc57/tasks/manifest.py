"""What the action-programmes module brings: programmes and their tasks (through the gate),
progress reports with evidence, a leader's decisions, computed status, reminders."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from ioc57.core.figures import Figure
from ioc57.core.i18n import N_
from ioc57.modules import Link, Module, Panel, Tile, Watch
from ioc57.tasks import plan, tables
from ioc57.tasks.commands import tasks_command
from ioc57.tasks.indicators import PROVIDERS
from ioc57.tasks.records import PROGRAMME, TASK


def _install(app: FastAPI) -> None:
    from ioc57.tasks.reminders import Reminders  # the web app's background work, not a command's

    # reminders when the app starts and every hour after, once ``ioc57 serve`` runs it
    reminders = Reminders(app.state.engine, app.state.bus, app.state.settings.tasks_remind_days)
    app.state.background.append((reminders.start, reminders.stop))


# after which the overdue tasks may have changed (``tasks.centre.EVENTS``, kept here so that the
# manifest imports no query)
CENTRE_EVENTS = ("tasks.confirmed", "tasks.extended", "tasks.overdue", "ingest.batch:task")

MODULE = Module(
    name="tasks",
    record_types=(PROGRAMME, TASK),
    tables=(
        tables.programmes,
        tables.tasks,
        tables.reports,
        tables.evidence,
        tables.events,
        tables.reminders,
    ),
    api=("ioc57.tasks.api:router", "ioc57.tasks.work_api:router"),
    # the fixed paths before /tasks/{task_id}
    pages=(
        "ioc57.tasks.pages:router",
        "ioc57.tasks.listpage:router",
        "ioc57.tasks.importpage:router",
        "ioc57.tasks.taskpage:router",
    ),
    templates=Path(__file__).resolve().parent / "templates",
    static=Path(__file__).resolve().parent / "static",
    nav=(Link("/tasks", N_("Tasks"), 35),),
    panels=(Panel("ioc57.tasks.overview:tasks_panel", 25),),
    # the operations centre: the overdue tasks, each or per agency, and their count
    watches=(Watch("ioc57.tasks.centre:find", events=CENTRE_EVENTS),),
    tiles=(
        Tile(
            "tasks.overdue",
            N_("Tasks overdue"),
            "ioc57.tasks.centre:overdue_tile",
            40,
            CENTRE_EVENTS,
        ),
    ),
    actions={
        # an officer reads the tasks whose lead agency is in its unit's subtree
        "tasks.read": ("admin", "leader", "operator", "officer", "viewer"),
        # programmes and tasks, through the gate (a source's own token writes its types)
        "tasks.plan": ("admin", "leader"),
        # progress of a task by its lead agency, with evidence
        "tasks.report": ("admin", "leader", "officer"),
        # download a task's evidence files (an officer: of its own agencies' tasks)
        "tasks.evidence": ("admin", "leader", "officer"),
        # confirm or refuse a completion, extend a deadline, answer difficulties
        "tasks.decide": ("admin", "leader"),
    },
    projectors={
        "programme": (plan.project_programmes,),
        "task": (plan.project_tasks,),
    },
    commands=(tasks_command,),
    providers=PROVIDERS,
    install=_install,
    demo="ioc57.tasks.demo:load_demo",
    figures=(
        Figure(
            "tasks.overdue",
            N_("Overdue tasks, per lead agency or province"),
            "ioc57.tasks.figures:overdue_samples",
            uom="count",
            record_types=("task",),
            params={"by": N_("agency (the lead agency, the default) or province")},
        ),
    ),
)
