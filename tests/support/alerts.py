"""A figure of the alerts tests' own, registered in ``core.figures`` (the registry the modules use,
not a mock): ``test.level`` gives the samples a test has put in ``SERIES`` (those of the rule's
``group``), or fails while the group is in ``FAILING``. Each test uses its own group and rule
names, so that the tests of a module share one app; each evaluates at the times it chooses
(``evaluate``), so that no test waits on a clock."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from ioc57.alerts.change import Change
from ioc57.alerts.evaluate import evaluate_rule
from ioc57.alerts.rules import StoredRule
from ioc57.alerts.tables import rules
from ioc57.core.figures import Figure, Sample, figure, register

SERIES: dict[str, dict[str, Sample]] = {}  # group -> series key -> its sample
FAILING: set[str] = set()
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def _level(_conn, params: Mapping[str, Any], _batch: int | None) -> list[Sample]:
    group = params.get("group", "")
    if group in FAILING:
        raise RuntimeError(f"the test figure of {group} fails")
    return list(SERIES.get(group, {}).values())


LEVEL = Figure(
    name="test.level",
    label="A level the alerts tests set",
    samples=_level,
    uom="m",
    params={"group": "the test's series"},
    required=("group",),
)
if figure(LEVEL.name) is None:
    register(LEVEL)


def put(group: str, key: str, value: float | None, at: datetime | None = None, **extra) -> None:
    """Set the sample of series ``key`` of ``group`` (labels: station=key)."""
    labels = {"station": key, **extra.pop("labels", {})}
    SERIES.setdefault(group, {})[key] = Sample(labels=labels, value=value, at=at, **extra)


def drop(group: str, key: str) -> None:
    SERIES.get(group, {}).pop(key, None)


def stored_rule(app, name: str) -> StoredRule:
    with app.state.engine.connect() as conn:
        return StoredRule.from_row(conn.execute(select(rules).where(rules.c.name == name)).one())


def evaluate(app, name: str, now: datetime, batch: int | None = None) -> list[Change]:
    rule = stored_rule(app, name)
    with app.state.engine.begin() as conn:
        changes = evaluate_rule(conn, rule, now, batch, group_wait_s=0)
    app.state.alerts_evaluator.publish(changes)
    return changes


def rule_body(name: str, **changes) -> dict[str, Any]:
    body = {
        "name": name,
        "title": f"Rule {name}",
        "figure": "test.level",
        "params": {"group": name},
        "op": ">",
        "threshold": 1.0,
        "severity": "critical",
    }
    return body | changes
