"""One state change of one alert instance, as the evaluator made it: what the notification
groups, the event stream and the transitions list are told."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ioc57.alerts.machine import State


@dataclass(frozen=True)
class Change:
    alert_id: int
    rule_id: int
    rule: str  # the rule's name (the ``alertname`` label)
    severity: str
    labels: Mapping[str, str]  # the instance's labels (the rule's and the series')
    group_by: tuple[str, ...]  # the rule's group_by label names
    unit_id: int | None
    from_state: State
    to_state: State
    at: datetime
    value: float | None
    reason: str = ""

    def event_data(self) -> dict[str, Any]:
        """The data of the ``alerts.changed`` event (no personal data: labels and figures)."""
        return {
            "id": self.alert_id,
            "rule": self.rule,
            "severity": self.severity,
            "labels": dict(self.labels),
            "from": self.from_state.value,
            "state": self.to_state.value,
            "at": self.at.isoformat(),
            "value": self.value,
        }
