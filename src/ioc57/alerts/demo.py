"""The alerts demo, loaded by ``ioc57 demo`` after the other modules' (dữ liệu mô phỏng): the rules
of ``demo_rules.yaml`` (a salinity level over each series' own limit, a series gone quiet, and the
inhibition of the first by the second), imported as the YAML import reads any file, as the
machine's administrator (audited) and marked simulated; then one evaluation, so that the pages
open on the alerts the simulated data raises.

Each rule is evaluated ``for`` ago and now, as the evaluator would have while the data came in,
so that a series over its line is firing, not pending. A second run updates the rules and
changes nothing else.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from ioc57.alerts import tables
from ioc57.alerts.evaluate import evaluate_rule
from ioc57.alerts.machine import ALERTING
from ioc57.alerts.rules import StoredRule
from ioc57.alerts.yaml_io import import_yaml, parse_yaml
from ioc57.core.access import LOCAL_ADMIN
from ioc57.core.clock import now
from ioc57.core.settings import read_settings
from ioc57.modules import Demo

RULES = Path(__file__).resolve().parent / "demo_rules.yaml"


def load_demo(demo: Demo) -> None:
    settings = read_settings()
    text = RULES.read_text(encoding="utf-8")
    names = [rule["name"] for rule in parse_yaml(text)[0]]
    with demo.engine.begin() as conn:
        report = import_yaml(conn, LOCAL_ADMIN, text)
        if report["errors"]:
            raise ValueError(f"{RULES.name}: {report['errors']}")
        conn.execute(
            update(tables.rules).where(tables.rules.c.name.in_(names)).values(simulated=True)
        )
    at = now()
    with demo.engine.begin() as conn:
        rows = conn.execute(select(tables.rules).where(tables.rules.c.name.in_(names)))
        for stored in [StoredRule.from_row(r) for r in rows]:
            for when in (at - timedelta(seconds=stored.for_s), at):
                evaluate_rule(conn, stored, when, group_wait_s=settings.alerts_group_wait_s)
        alerting = conn.execute(
            select(tables.instances.c.state).where(
                tables.instances.c.state.in_(sorted(s.value for s in ALERTING))
            )
        ).scalars()
        counts: dict[str, int] = {}
        for state in alerting:
            counts[state] = counts.get(state, 0) + 1
    said = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "none alerting"
    demo.echo(
        f"alerts (dữ liệu mô phỏng): {len(names)} rules and their inhibitions from"
        f" {RULES.name}; evaluated now: {said}"
    )
