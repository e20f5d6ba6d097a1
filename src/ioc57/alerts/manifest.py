"""What the alerts module brings: rules on the figures the modules offer, the alerts they raise and
their states, acknowledgements, silences, inhibitions, and notifications in the app, by webhook and
by email."""

from __future__ import annotations

from pathlib import Path

from ioc57.alerts import tables
from ioc57.modules import Module

HERE = Path(__file__).resolve().parent

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
    actions={
        # the alerts and their history (an officer: its unit's)
        "alerts.read": ("admin", "leader", "operator", "officer", "viewer"),
        # acknowledge an alert, silence alerts
        "alerts.respond": ("admin", "leader", "operator"),
        # rules, inhibitions and channels; replay dead letters
        "alerts.configure": ("admin", "operator"),
    },
)
