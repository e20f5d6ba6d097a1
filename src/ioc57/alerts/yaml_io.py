"""Rules are data: every rule and inhibition rule exported as one YAML file, and imported back.

The file is ``{rules: [...], inhibitions: [...]}``, each rule as the API writes it (durations as
"10m"). Importing creates or updates each rule by its name; a bad one is reported with its index
and field (``rules.3.threshold``) and the good ones are kept, as the gate keeps the good rows of
a batch.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from ioc57.alerts.rules import Rule
from ioc57.alerts.rulestore import as_rule, list_rules, save_rule
from ioc57.alerts.silences import InhibitionIn, list_inhibitions, save_inhibition
from ioc57.core.access import Principal, authorize
from ioc57.core.problems import Problem

CONFIGURE = "alerts.configure"
MAX_ITEMS = 1000


def export_yaml(conn: Connection, principal: Principal) -> str:
    """Every rule the person may see and every inhibition rule, as YAML."""
    authorize(principal, CONFIGURE)
    rules = [as_rule(view).exported() for view in list_rules(conn, principal)]
    inhibitions = [
        {k: v for k, v in view.items() if k not in ("id", "created_by")}
        for view in list_inhibitions(conn, principal)
    ]
    document = {"rules": rules, "inhibitions": inhibitions}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def _errors(section: str, index: int, exc: ValidationError | Problem) -> list[dict[str, Any]]:
    if isinstance(exc, Problem):
        found = exc.errors or [{"loc": [], "msg": exc.detail}]
        return [{"loc": [section, index, *e.get("loc", [])], "msg": e["msg"]} for e in found]
    return [{"loc": [section, index, *map(str, e["loc"])], "msg": e["msg"]} for e in exc.errors()]


def parse_yaml(text: str) -> tuple[list[Any], list[Any]]:
    """The rules and inhibitions of a YAML file (a 422 naming ``body`` if it is not one)."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise Problem(
            422, "The body is not YAML.", errors=[{"loc": ["body"], "msg": str(exc)[:300]}]
        ) from None
    if isinstance(document, list):
        document = {"rules": document}
    if not isinstance(document, dict):
        raise Problem(
            422,
            "The YAML must be a mapping with 'rules' (and 'inhibitions'), or a list of rules.",
            errors=[{"loc": ["body"], "msg": "expected a mapping or a list"}],
        )
    rules, inhibitions = document.get("rules") or [], document.get("inhibitions") or []
    for name, items in (("rules", rules), ("inhibitions", inhibitions)):
        if not isinstance(items, list):
            raise Problem(
                422, f"'{name}' must be a list.", errors=[{"loc": [name], "msg": "expected a list"}]
            )
        if len(items) > MAX_ITEMS:
            raise Problem(413, f"At most {MAX_ITEMS} {name} per file.")
    return rules, inhibitions


def import_yaml(
    conn: Connection, principal: Principal, text: str, *, address: str | None = None
) -> dict[str, Any]:
    """Create or update the file's rules and inhibitions: {created, updated, errors}."""
    authorize(principal, CONFIGURE)
    rules, inhibitions = parse_yaml(text)
    created: list[str] = []
    updated: list[str] = []
    errors: list[dict[str, Any]] = []
    for index, item in enumerate(rules):
        try:
            rule = Rule.model_validate(item)
            _view, new = save_rule(conn, principal, rule, address=address)
        except (ValidationError, Problem) as exc:
            errors += _errors("rules", index, exc)
            continue
        (created if new else updated).append(rule.name)
    for index, item in enumerate(inhibitions):
        try:
            inhibition = InhibitionIn.model_validate(item)
            _view, new = save_inhibition(conn, principal, inhibition, address=address)
        except (ValidationError, Problem) as exc:
            errors += _errors("inhibitions", index, exc)
            continue
        (created if new else updated).append(f"inhibition:{inhibition.name}")
    return {"created": created, "updated": updated, "errors": errors}
