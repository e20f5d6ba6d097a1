"""Alerts for the pages' tests: a rule and its instances written straight into the alert tables
(what the evaluator would have left), so that the pages are tested on known rows."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import insert

from ioc57.alerts import tables
from ioc57.core.clock import now, today
from ioc57.units.queries import unit_at


def unit_id(conn, code: str) -> int:
    return unit_at(conn, code, today()).id


def add_rule(conn, name: str, severity: str = "critical", figure: str = "sensors.reading") -> int:
    return conn.execute(
        insert(tables.rules).values(
            name=name,
            title=f"Độ mặn vượt ngưỡng ({name})",
            kind="threshold",
            figure=figure,
            params="{}",
            op=">",
            threshold=None,
            for_s=600,
            keep_firing_for_s=0,
            severity=severity,
            labels="{}",
            unit_ids="[]",
            group_by='["alertname"]',
            active=True,
            simulated=True,
            created_by="test",
            updated_at=now(),
        )
    ).inserted_primary_key[0]


def add_alert(
    conn,
    rule_id: int,
    rule: str,
    station: str,
    unit: int | None,
    state="firing",
    value=2.4,
    threshold=1.0,
    severity="critical",
) -> int:
    at = now() - timedelta(minutes=20)
    labels = {"alertname": rule, "severity": severity, "station": station, "metric": "salinity"}
    alert = conn.execute(
        insert(tables.instances).values(
            rule_id=rule_id,
            fingerprint=station.ljust(64, "0")[:64],
            labels=json.dumps(labels),
            unit_id=unit,
            state=state,
            value=value,
            threshold=threshold,
            observed_at=at,
            state_since=at,
            active_at=at,
            started_at=at if state == "firing" else None,
            last_true_at=at,
            evaluated_at=at,
        )
    ).inserted_primary_key[0]
    conn.execute(
        insert(tables.transitions).values(
            alert_id=alert,
            from_state="normal",
            to_state="pending",
            at=at - timedelta(minutes=10),
            value=value,
            reason="",
        )
    )
    conn.execute(
        insert(tables.transitions).values(
            alert_id=alert,
            from_state="pending",
            to_state=state,
            at=at,
            value=value,
            reason="",
        )
    )
    return alert
