"""The stored rules: list, read, save (create or update by name) and delete, each write audited
and scoped (``alerts.configure``; a person with a unit writes rules of its own subtree only).

These are the functions the API, the YAML import and the rules page call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.alerts import tables
from ioc57.alerts.rules import Rule, StoredRule, format_duration
from ioc57.core import audit
from ioc57.core.access import Principal, authorize
from ioc57.core.clock import local_iso, now, today
from ioc57.core.problems import Problem, field_error
from ioc57.units.queries import scope_chain, unit_at, unit_by_id
from ioc57.units.tables import units

CONFIGURE = "alerts.configure"
OBJECT = "alert_rule"


def unit_codes(conn: Connection, unit_ids: Sequence[int]) -> list[str]:
    if not unit_ids:
        return []
    query = select(units.c.id, units.c.code).where(units.c.id.in_(unit_ids))
    found = {r.id: r.code for r in conn.execute(query)}
    return [found[i] for i in unit_ids if i in found]


def rule_view(conn: Connection, row: Any) -> dict[str, Any]:
    """A stored rule as the API shows it: the rule as written, its id and when it changed."""
    m = row._mapping
    return {
        "id": m["id"],
        "name": m["name"],
        "title": m["title"],
        "kind": m["kind"],
        "figure": m["figure"],
        "params": orjson.loads(m["params"]),
        "op": m["op"],
        "threshold": m["threshold"],
        "for": format_duration(m["for_s"]),
        "keep_firing_for": format_duration(m["keep_firing_for_s"]),
        "nodata_after": format_duration(m["nodata_after_s"]),
        "severity": m["severity"],
        "labels": orjson.loads(m["labels"]),
        "units": unit_codes(conn, orjson.loads(m["unit_ids"])),
        "group_by": orjson.loads(m["group_by"]),
        "active": m["active"],
        "simulated": m["simulated"],
        "updated_at": local_iso(m["updated_at"]),
    }


def as_rule(view: dict[str, Any]) -> Rule:
    """The rule a view shows, as written (for the YAML export and the edit form)."""
    keys = set(Rule.model_fields) - {"for_"} | {"for"}
    return Rule.model_validate({k: v for k, v in view.items() if k in keys})


def in_scope(conn: Connection, principal: Principal | None, unit_ids: Sequence[int]) -> bool:
    """Whether a person sees a rule of these units (a rule everywhere: those without a unit)."""
    if principal is None or principal.unit_id is None:
        return True
    if not unit_ids:
        return False
    return all(principal.unit_id in scope_chain(conn, unit_by_id(conn, i)) for i in unit_ids)


def list_rules(conn: Connection, principal: Principal | None = None) -> list[dict[str, Any]]:
    """The rules a person may see, by name."""
    rows = conn.execute(select(tables.rules).order_by(tables.rules.c.name)).all()
    return [rule_view(conn, r) for r in rows if in_scope(conn, principal, orjson.loads(r.unit_ids))]


def get_rule(
    conn: Connection, name: str, principal: Principal | None = None
) -> dict[str, Any] | None:
    row = conn.execute(select(tables.rules).where(tables.rules.c.name == name)).first()
    if row is None or not in_scope(conn, principal, orjson.loads(row.unit_ids)):
        return None
    return rule_view(conn, row)


def active_rules(conn: Connection) -> list[StoredRule]:
    """Every active rule, for the evaluator."""
    query = select(tables.rules).where(tables.rules.c.active.is_(True)).order_by(tables.rules.c.id)
    return [StoredRule.from_row(r) for r in conn.execute(query)]


def _unit_ids(
    conn: Connection, principal: Principal, codes: Sequence[str], field: str
) -> list[int]:
    """The ids of the rule's units, each in the person's scope."""
    ids = []
    for index, code in enumerate(codes):
        row = unit_at(conn, code, today())
        if row is None:
            raise field_error(f"{field}.{index}", f"no current unit has code {code!r}")
        authorize(principal, CONFIGURE, scope_chain(conn, row))
        ids.append(row.id)
    if not ids and principal.unit_id is not None:
        raise Problem(
            403,
            "A rule of your unit names its units: only a person without a unit writes a rule for everywhere.",
            errors=[{"loc": [field], "msg": "name the units of the rule"}],
        )
    return ids


def save_rule(
    conn: Connection,
    principal: Principal,
    rule: Rule,
    *,
    address: str | None = None,
    simulated: bool = False,
    field: str = "units",
) -> tuple[dict[str, Any], bool]:
    """Create the rule, or update the one of its name: (the rule as stored, whether it is new)."""
    authorize(principal, CONFIGURE)
    before_row = conn.execute(select(tables.rules).where(tables.rules.c.name == rule.name)).first()
    if before_row is not None and not in_scope(conn, principal, orjson.loads(before_row.unit_ids)):
        raise Problem(
            403,
            "That rule is outside your scope.",
            errors=[{"loc": ["name"], "msg": "outside your scope"}],
        )
    values = {
        "title": rule.title,
        "kind": rule.kind,
        "figure": rule.figure,
        "params": orjson.dumps(rule.params).decode(),
        "op": rule.op,
        "threshold": rule.threshold,
        "for_s": rule.for_,
        "keep_firing_for_s": rule.keep_firing_for,
        "nodata_after_s": rule.nodata_after,
        "severity": rule.severity,
        "labels": orjson.dumps(rule.labels).decode(),
        "unit_ids": orjson.dumps(_unit_ids(conn, principal, rule.units, field)).decode(),
        "group_by": orjson.dumps(rule.group_by).decode(),
        "active": rule.active,
        "updated_at": now(),
    }
    before = rule_view(conn, before_row) if before_row is not None else None
    if before_row is None:
        conn.execute(
            insert(tables.rules).values(
                name=rule.name,
                created_by=principal.username,
                simulated=simulated,
                version=1,
                **values,
            )
        )
    else:
        conn.execute(
            update(tables.rules)
            .where(tables.rules.c.id == before_row.id)
            .values(version=tables.rules.c.version + 1, **values)
        )
    stored = get_rule(conn, rule.name)
    assert stored is not None
    audit.record(
        conn,
        actor=principal.username,
        action="alert_rule.create" if before is None else "alert_rule.update",
        object_type=OBJECT,
        object_id=rule.name,
        before=before,
        after=stored,
        address=address,
    )
    return stored, before is None


def delete_rule(
    conn: Connection, principal: Principal, name: str, *, address: str | None = None
) -> bool:
    """Delete a rule and its alerts (their history with them); False when there is none."""
    authorize(principal, CONFIGURE)
    before = get_rule(conn, name, principal)
    if before is None:
        return False
    conn.execute(delete(tables.rules).where(tables.rules.c.name == name))
    audit.record(
        conn,
        actor=principal.username,
        action="alert_rule.delete",
        object_type=OBJECT,
        object_id=name,
        before=before,
        address=address,
    )
    return True
