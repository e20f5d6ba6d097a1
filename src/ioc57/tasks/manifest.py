"""What the action-programmes module brings: programmes and their tasks (through the gate),
progress reports with evidence, a leader's decisions, computed status, reminders."""

from __future__ import annotations

from fastapi import FastAPI

from ioc57.modules import Module
from ioc57.tasks import tables
from ioc57.tasks.commands import tasks_command
from ioc57.tasks.indicators import PROVIDERS
from ioc57.tasks.reminders import Reminders


def _install(app: FastAPI) -> None:
    # reminders when the app starts and every hour after, once ``ioc57 serve`` runs it
    reminders = Reminders(app.state.engine, app.state.bus, app.state.settings.tasks_remind_days)
    app.state.background.append((reminders.start, reminders.stop))


MODULE = Module(
    name="tasks",
    tables=(
        tables.programmes,
        tables.tasks,
        tables.reports,
        tables.evidence,
        tables.events,
        tables.reminders,
    ),
    commands=(tasks_command,),
    providers=PROVIDERS,
    install=_install,
)
