"""``/api/v1/alert-rules``: the rules as data — list, create, read, replace, delete, and the whole
set exported and imported as YAML. Reading needs ``alerts.read``; writing ``alerts.configure``
(audited; a person with a unit writes the rules of its subtree)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.engine import Connection

from ioc57.alerts.rules import Rule
from ioc57.alerts.rulestore import delete_rule, get_rule, list_rules, save_rule
from ioc57.alerts.yaml_io import export_yaml, import_yaml
from ioc57.core.access import Principal, current_principal, require
from ioc57.core.http import client_address, read_body, read_conn, write_conn
from ioc57.core.problems import Problem, field_error

router = APIRouter(prefix="/api/v1", tags=["alerts"])

READ, CONFIGURE = "alerts.read", "alerts.configure"
RuleName = Annotated[str, Path(min_length=1, max_length=100)]
# the YAML document: a mapping of the rules and the inhibition rules
YAML_DOCUMENT = {
    "type": "object",
    "properties": {
        "rules": {"type": "array", "items": {"type": "object"}},
        "inhibitions": {"type": "array", "items": {"type": "object"}},
    },
}
YAML_BODY = {
    "required": True,
    "content": {"application/yaml": {"schema": YAML_DOCUMENT}},
}
YAML_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"description": "YAML", "content": {"application/yaml": {"schema": YAML_DOCUMENT}}}
}


def _missing(name: str) -> Problem:
    return Problem(
        404, f"No rule is named {name!r}.", errors=[{"loc": ["path", "name"], "msg": "not found"}]
    )


@router.get("/alert-rules")
def rules_list(
    principal: Annotated[Principal, Depends(require(READ))],
    conn: Annotated[Connection, Depends(read_conn)],
):
    """The rules (a person with a unit: those of its subtree)."""
    items = list_rules(conn, principal)
    return {"items": items, "total": len(items)}


@router.post("/alert-rules", status_code=201)
def rules_create(
    rule: Rule,
    request: Request,
    principal: Annotated[Principal, Depends(require(CONFIGURE))],
    conn: Annotated[Connection, Depends(write_conn)],
):
    """Create a rule (409 when one has its name: replace it with PUT)."""
    if get_rule(conn, rule.name) is not None:
        raise Problem(
            409,
            f"A rule is named {rule.name!r} already.",
            errors=[{"loc": ["body", "name"], "msg": "taken"}],
        )
    view, _new = save_rule(conn, principal, rule, address=client_address(request))
    return view


@router.get("/alert-rules/export", responses=YAML_ANSWER)
def rules_export(
    principal: Annotated[Principal, Depends(require(CONFIGURE))],
    conn: Annotated[Connection, Depends(read_conn)],
) -> Response:
    """Every rule and inhibition rule, as YAML (to keep in a repository, or import elsewhere)."""
    return Response(
        export_yaml(conn, principal),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="alert-rules.yaml"'},
    )


@router.post("/alert-rules/import", openapi_extra={"requestBody": YAML_BODY})
async def rules_import(
    request: Request, principal: Annotated[Principal, Depends(require(CONFIGURE))]
):
    """Create or update rules (and inhibition rules) from YAML: {created, updated, errors}; a bad
    rule is reported by index and field, the good ones are kept (422 when none is)."""
    try:
        text = (await read_body(request, 2 * 1024 * 1024)).decode("utf-8")
    except UnicodeDecodeError:
        raise field_error("body", "must be UTF-8 text") from None
    with request.app.state.engine.begin() as conn:
        report = import_yaml(conn, principal, text, address=client_address(request))
    if report["errors"] and not (report["created"] or report["updated"]):
        raise Problem(422, "No rule of the file could be saved.", errors=report["errors"])
    return report


@router.get("/alert-rules/{name}")
def rules_get(
    name: RuleName,
    principal: Annotated[Principal, Depends(require(READ))],
    conn: Annotated[Connection, Depends(read_conn)],
):
    view = get_rule(conn, name, principal)
    if view is None:
        raise _missing(name)
    return view


@router.put("/alert-rules/{name}", responses={201: {"description": "Created"}})
def rules_put(
    name: RuleName,
    rule: Rule,
    request: Request,
    principal: Annotated[Principal, Depends(require(CONFIGURE))],
    conn: Annotated[Connection, Depends(write_conn)],
):
    """Replace the rule of this name (or create it: 201)."""
    if rule.name != name:
        raise field_error("body.name", "must be the name in the path")
    view, new = save_rule(conn, principal, rule, address=client_address(request))
    return JSONResponse(view, status_code=201 if new else 200)


@router.delete("/alert-rules/{name}", status_code=204)
def rules_delete(
    name: RuleName,
    request: Request,
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(write_conn)],
) -> Response:
    """Delete a rule, its alerts and their history."""
    if not delete_rule(conn, principal, name, address=client_address(request)):
        raise _missing(name)
    return Response(status_code=204)
