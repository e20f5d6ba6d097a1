"""The alerts demo, loaded by ``ioc57 demo`` after the sensors' (dữ liệu mô phỏng): the rules a
province would start with on its salinity stations, and one evaluation so that the pages open on
the alerts the simulated intrusion raises.

- "salinity-over-crop-threshold": a station's latest salinity over its own threshold, or over
  the strictest of its commune's crops (threshold null: the series' own), for 10 minutes, kept
  firing 30 minutes after it drops (a tide that dips under the line is not the end of it);
  critical; one notification for the whole intrusion (group_by alertname).
- "station-no-data": a station silent for an hour.
- the inhibition "no-data-mutes-thresholds": a station without data mutes its threshold alert
  (equal station): its last value is old news.

The rules are saved as the machine's administrator (audited) and marked simulated. They are
evaluated twice: once ``for`` ago and once now, as the evaluator would have done while the
readings came in, so that the stations over their line are firing, not pending. A second run
updates the rules and changes nothing else.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ioc57.alerts import tables
from ioc57.alerts.evaluate import evaluate_rule
from ioc57.alerts.machine import ALERTING
from ioc57.alerts.rules import Rule, StoredRule
from ioc57.alerts.rulestore import save_rule
from ioc57.alerts.silences import InhibitionIn, MatcherIn, save_inhibition
from ioc57.core.access import LOCAL_ADMIN
from ioc57.core.clock import now
from ioc57.core.settings import read_settings
from ioc57.modules import Demo


def demo_rules() -> tuple[Rule, ...]:
    """The demo's rules (validated against the figures registry, so made once it is filled)."""
    return (
        Rule.model_validate(
            {
                "name": "salinity-over-crop-threshold",
                "title": "Độ mặn vượt ngưỡng chịu mặn của cây trồng",
                "kind": "threshold",
                "figure": "sensors.reading",
                "params": {"metric": "salinity"},
                "op": ">",
                "threshold": None,
                "for": "10m",
                "keep_firing_for": "30m",
                "nodata_after": None,
                "severity": "critical",
                "labels": {"domain": "salinity"},
                "group_by": ["alertname"],
            }
        ),
        Rule.model_validate(
            {
                "name": "station-no-data",
                "title": "Trạm quan trắc không gửi số liệu",
                "kind": "nodata",
                "figure": "sensors.reading",
                "params": {"metric": "salinity"},
                "nodata_after": "1h",
                "severity": "warning",
                "labels": {"domain": "salinity"},
                "group_by": ["alertname"],
            }
        ),
    )


INHIBITION = InhibitionIn(
    name="no-data-mutes-thresholds",
    source_matchers=[MatcherIn(name="alertname", value="station-no-data")],
    target_matchers=[MatcherIn(name="alertname", value="salinity-over-crop-threshold")],
    equal=["station"],
)


def load_demo(demo: Demo) -> None:
    settings = read_settings()
    rules = demo_rules()
    with demo.engine.begin() as conn:
        for rule in rules:
            save_rule(conn, LOCAL_ADMIN, rule, simulated=True)
        save_inhibition(conn, LOCAL_ADMIN, INHIBITION)
    at = now()
    with demo.engine.begin() as conn:
        for rule in rules:
            row = conn.execute(select(tables.rules).where(tables.rules.c.name == rule.name)).one()
            stored = StoredRule.from_row(row)
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
        f"alerts (dữ liệu mô phỏng): {len(rules)} rules on the salinity stations and an"
        f" inhibition (no data mutes thresholds); evaluated now: {said}"
    )
