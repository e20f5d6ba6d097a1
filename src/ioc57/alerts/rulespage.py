"""The rules (``/alerts/rules``): the list, each with what it watches and when it fires; the form
that creates or edits one (the figure chosen among those the modules offer, its parameters, the
comparison, a threshold or "the series' own", the durations as "10m", "1h"); the YAML export (the
API's file) and the import of a YAML file, which names each bad rule by its place and field and
keeps the good ones. The writes are the service's (``rulestore``, ``yaml_io``): audited, scoped.

A person who may read alerts but not configure them sees the rules and a rule's form, disabled.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from ioc57.alerts import rules as rule_model
from ioc57.alerts import rulestore, silences, yaml_io
from ioc57.alerts.pageforms import done, read_form, refused, written
from ioc57.alerts.pages import Reader, common
from ioc57.alerts.ruleform import EMPTY, FIELDS, as_form, rule_of
from ioc57.core import figures
from ioc57.core.access import Principal, check_csrf
from ioc57.core.i18n import N_
from ioc57.core.pages import render, require_login
from ioc57.core.problems import Problem

router = APIRouter(include_in_schema=False)
Configurer = Annotated[Principal, Depends(require_login("alerts.configure"))]
RuleName = Annotated[str, Path(pattern=rule_model.SLUG)]
MAX_YAML = 1024 * 1024


def offered() -> list[dict[str, Any]]:
    """The figures a rule may watch, with the parameters each takes."""
    return [
        {
            "name": f.name,
            "label": f.label,
            "uom": f.uom,
            "params": dict(f.params),
            "required": f.required,
        }
        for f in sorted(figures.figures(), key=lambda f: f.name)
    ]


def figure_label(name: str) -> str:
    found = figures.figure(name)
    return found.label if found is not None else name


@router.get("/alerts/rules")
def rules_page(request: Request, principal: Reader) -> HTMLResponse:
    return _list(request, principal)


def _list(
    request: Request, principal: Principal, status: int = 200, report: dict[str, Any] | None = None
) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        items = rulestore.list_rules(conn, principal)
        inhibitions = silences.list_inhibitions(conn, principal)
    return render(
        request,
        "rules.html",
        status_code=status,
        items=items,
        inhibitions=inhibitions,
        report=report,
        figure_label=figure_label,
        **common(request),
    )


def _form(
    request: Request,
    principal: Principal,
    values: dict[str, Any],
    editing: bool,
    status: int = 200,
    errors: dict[str, Any] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "rule.html",
        status_code=status,
        values=values,
        editing=editing,
        figures_offered=offered(),
        errors=errors or {"fields": {}, "detail": None},
        **common(request),
    )


@router.get("/alerts/rules/new")
def rule_new(request: Request, principal: Configurer) -> HTMLResponse:
    return _form(request, principal, dict(EMPTY), editing=False)


@router.get("/alerts/rules/{name}")
def rule_page(name: RuleName, request: Request, principal: Reader) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        view = rulestore.get_rule(conn, name, principal)
    if view is None:
        raise Problem(
            404, f"No rule {name}.", errors=[{"loc": ["path", "name"], "msg": "not found"}]
        )
    return _form(request, principal, as_form(view), editing=True)


@router.post("/alerts/rules")
async def rule_save(request: Request, principal: Configurer):
    fields = await read_form(request, max_fields=len(FIELDS) + 3)
    values: dict[str, Any] = {k: fields.get(k, "")[:4000] for k in FIELDS}
    values["active"] = fields.get("active") == "on"
    editing = fields.get("editing") == "1"
    try:
        rule = rule_model.Rule.model_validate(rule_of(values))

        def save(conn, address):  # type: ignore[no-untyped-def]
            if not editing and rulestore.get_rule(conn, rule.name) is not None:
                raise Problem(
                    409,
                    f"A rule is named {rule.name!r} already.",
                    errors=[{"loc": ["name"], "msg": "taken: choose another name"}],
                )
            return rulestore.save_rule(conn, principal, rule, address=address)

        _view, new = await written(request, save)
    except (ValidationError, Problem) as exc:
        errors = refused(exc)
        if errors is None:
            raise
        return await run_in_threadpool(_form, request, principal, values, editing, 422, errors)
    return done(
        request,
        "/alerts/rules",
        N_("The rule is saved.") if not new else N_("The rule is created."),
    )


@router.post("/alerts/rules/{name}/delete")
async def rule_delete(name: RuleName, request: Request, principal: Configurer):
    await read_form(request, max_fields=2)
    gone = await written(
        request, lambda conn, address: rulestore.delete_rule(conn, principal, name, address=address)
    )
    if not gone:
        raise Problem(
            404, f"No rule {name}.", errors=[{"loc": ["path", "name"], "msg": "not found"}]
        )
    return done(request, "/alerts/rules", N_("The rule is deleted, with its alerts."))


@router.post("/alerts/rules/import")
async def rules_import(request: Request, principal: Configurer):
    """A YAML file (or pasted text): the rules it creates and updates, and each refusal by its
    place in the file and its field."""
    async with request.form(max_files=1, max_fields=3, max_part_size=MAX_YAML) as form:
        token = form.get("csrf_token")
        check_csrf(request, token if isinstance(token, str) else None)
        upload, pasted = form.get("file"), form.get("yaml")
        raw = await upload.read(MAX_YAML + 1) if isinstance(upload, UploadFile) else b""
    text = (
        raw.decode("utf-8", errors="replace")
        if raw
        else (pasted if isinstance(pasted, str) else "")
    )
    if len(raw) > MAX_YAML or not text.strip():
        report = {
            "created": [],
            "updated": [],
            "errors": [{"loc": ["file"], "msg": "empty or over 1 MB"}],
        }
        return await run_in_threadpool(_list, request, principal, 422, report)
    try:
        report = await written(
            request,
            lambda conn, address: yaml_io.import_yaml(conn, principal, text, address=address),
        )
    except Problem as exc:
        if exc.status not in (413, 422):
            raise
        report = {
            "created": [],
            "updated": [],
            "errors": exc.errors or [{"loc": ["file"], "msg": exc.detail}],
        }
    status = 422 if report["errors"] and not (report["created"] or report["updated"]) else 200
    return await run_in_threadpool(_list, request, principal, status, report)
