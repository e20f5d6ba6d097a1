"""What the action-programmes module brings: programmes and their tasks (through the gate),
progress reports with evidence, a leader's decisions, computed status, reminders."""

from __future__ import annotations

from ioc57.modules import Module
from ioc57.tasks import tables, work_api

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
    api=(work_api.router,),
    actions={
        "tasks.read": ("admin", "leader", "operator", "officer", "viewer"),
        # report progress on a task, with evidence (an officer: on its own agencies' tasks)
        "tasks.report": ("admin", "leader", "officer"),
        # download a task's evidence files (an officer: of its own agencies' tasks)
        "tasks.evidence": ("admin", "leader", "officer"),
        # confirm or refuse a completion, extend a deadline, answer a report
        "tasks.decide": ("admin", "leader"),
    },
)
