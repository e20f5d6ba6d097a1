"""What the action-programmes module brings: programmes and their tasks (through the gate),
progress reports with evidence, a leader's decisions, computed status, reminders."""

from __future__ import annotations

from ioc57.modules import Module
from ioc57.tasks import tables
from ioc57.tasks.indicators import PROVIDERS

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
    providers=PROVIDERS,
)
