"""The officer's page for reporting figures (``/indicators/report``, "Report figures" in the
navigation): their unit's due list (what it must report for which period, and what it has
reported) and a form for one or a few values, with the source and an evidence file.

The values go through the gate as the entry page's template does (``entrypage``): from the
built-in source, with the person as principal, so that the policy confines them to their unit and
approves at once the values of those who may review. The evidence file is kept with the batch,
as an import keeps its file. Many values: the template on ``/indicators/entry``.
"""

from __future__ import annotations

import mimetypes
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from ioc57.core.access import Principal, authorize, authorize_write, check_csrf
from ioc57.core.clock import today
from ioc57.core.messages import entry
from ioc57.core.pages import render
from ioc57.core.periods import parse_period
from ioc57.core.problems import Problem
from ioc57.core.uploads import TooLarge, Upload
from ioc57.indicators import errors
from ioc57.indicators.choices import unit_choices
from ioc57.indicators.due import due_list
from ioc57.indicators.entrypage import ACTION, MAX_BYTES, MAX_MB, Reporter
from ioc57.indicators.pages import common
from ioc57.indicators.records import OBSERVATION
from ioc57.indicators.reportform import KINDS, Filled, read_form
from ioc57.indicators.template import indicators_for
from ioc57.ingest.entry import entry_source
from ioc57.units.queries import scope_chain, unit_at

router = APIRouter(include_in_schema=False)

PATH = "/indicators/report"
MAX_PICKS = 5  # the form's fields stay under the upload's cap (core.uploads.MAX_FIELDS)
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.odt,.ods"


def _unit(conn, principal: Principal, code: str, period: str | None) -> dict[str, Any]:
    """The unit (in the person's scope) and the due list, or the reason there is none."""
    try:
        chosen = parse_period(period) if period else None
    except ValueError:
        return {"choice_error": entry(errors.BAD_PERIOD, ["period"], value=period)}
    if chosen is not None and chosen.start > today():
        return {"choice_error": entry(errors.FUTURE, ["period"], period=chosen.code)}
    if chosen is not None and not indicators_for(chosen.code):
        return {"choice_error": entry(errors.SHORT, ["period"], period=chosen.code)}
    unit = unit_at(conn, code, today()) if code else None
    if unit is None:
        return {"choice_error": entry(errors.NO_UNIT, ["unit"], unit=code)} if code else {}
    try:
        authorize(principal, ACTION, scope_chain(conn, unit))
    except Problem:
        return {"choice_error": entry(errors.SCOPE, ["unit"])}
    return {"unit": unit, "due": due_list(conn, unit.id, today(), chosen)}


def _render(
    request: Request,
    principal: Principal,
    code: str | None,
    period: str | None,
    picks: list[str],
    status: int = 200,
    **context: Any,
):
    code = ((principal.unit_code or "") if code is None else code).strip()
    with request.app.state.engine.connect() as conn:
        state = _unit(conn, principal, code, period)
        state["choices"] = unit_choices(conn, principal, state.get("unit"))
    due = state.get("due", [])
    # preselected: what is chosen, else the first values still to report
    picked = [d for d in due if d.key in picks][:MAX_PICKS]
    if not picks:
        picked = [d for d in due if d.stored is None][:1] or due[:1]
    grant = authorize_write(
        principal, OBSERVATION.write_action, own_source=False, review=OBSERVATION.review_action
    )
    if state.get("choice_error") and status == 200:
        status = 403 if state["choice_error"]["code"] == errors.SCOPE.code else 422
    return render_page(
        request,
        status,
        code=code,
        period=period or "",
        picked=picked,
        max_picks=MAX_PICKS,
        approves=grant.approve,
        max_mb=MAX_MB,
        accept=ACCEPT,
        **state,
        **context,
    )


def render_page(request: Request, status: int, **context: Any):
    return render(request, "report.html", status_code=status, **common(request) | context)


@router.get(PATH)
def report_form(
    request: Request,
    principal: Reporter,
    unit: Annotated[str | None, Query(max_length=40)] = None,
    period: Annotated[str | None, Query(max_length=10)] = None,
    pick: Annotated[list[str], Query(max_length=100)] = [],  # noqa: B006 (FastAPI's list)
    sent: Annotated[int | None, Query(ge=0, le=1000)] = None,
):
    return _render(request, principal, unit, period, pick, sent=sent)


def _send(request: Request, principal: Principal, filled: Filled, upload: Upload):
    """Send the rows through the gate; the rows' errors by their key (``indicator.period``)."""
    gate = request.app.state.gate
    with gate.engine.connect() as conn:
        source = entry_source(conn)
    raw = None
    if upload.path is not None:
        kind = mimetypes.guess_type(upload.filename or "")[0] or "application/octet-stream"
        raw = [(upload.path.read_bytes(), kind)]
    rows = [(index, dict(row)) for index, (_, row) in enumerate(filled.rows)]
    result = gate.ingest(
        source,
        "observation",
        rows,
        principal=principal,
        via="file" if raw else "push",
        filename=(upload.filename or "")[:300] or None,
        raw=raw,
    )
    keys = [key for key, _ in filled.rows]
    rejected: dict[str, list[dict[str, Any]]] = {}
    for item in result.rejected:
        rejected.setdefault(keys[item["index"]], []).extend(item["errors"])
    return result, rejected


@router.post(PATH)
async def report_send(request: Request, principal: Reporter):
    upload = Upload(name="evidence")
    try:
        try:
            await upload.read(request, MAX_BYTES)
        except TooLarge:
            form_error = entry(errors.EVIDENCE_TOO_LARGE, ["evidence"], mb=MAX_MB)
            return await _page(request, principal, upload, Filled(), 413, form_error=form_error)
        check_csrf(request, upload.fields.get("csrf_token"))
        fields = upload.fields
        unit, source = fields.get("unit", "").strip(), fields.get("source", "").strip()
        filled = read_form(fields, unit, source)
        keys = {key for key, _ in filled.rows}
        problem = None
        if not filled.rows and not filled.errors:
            problem = entry(errors.NOTHING, ["value"])
        elif len(keys) > MAX_PICKS:
            problem = entry(errors.TOO_MANY, ["value"], n=MAX_PICKS)
        if not source and filled.rows:
            filled.errors["source"] = entry(errors.NO_SOURCE, ["source"])
        if problem or filled.errors:
            return await _page(request, principal, upload, filled, 422, form_error=problem)
        with request.app.state.engine.connect() as conn:
            state = _unit(conn, principal, unit, None)
        if "unit" not in state:
            return await _page(request, principal, upload, filled, 403)
        result, rejected = await run_in_threadpool(_send, request, principal, filled, upload)
        if rejected:
            stored = result.accepted + result.updated + result.unchanged
            return await _page(
                request, principal, upload, filled, 422, rejected=rejected, stored=stored
            )
        sent = result.accepted + result.updated + result.unchanged
        query = urlencode({"unit": unit, "sent": sent})
        return RedirectResponse(f"{PATH}?{query}", status_code=303)
    finally:
        upload.discard()


async def _page(
    request: Request, principal: Principal, upload: Upload, filled: Filled, status: int, **context
):
    """The form again, with what was typed and why it was not (all) stored."""
    picks = [key for key, _ in filled.rows]
    picks += [name.split(".", 1)[1] for name in filled.errors if name.split(".")[0] in KINDS]
    unit, period = upload.fields.get("unit"), upload.fields.get("period") or None
    return await run_in_threadpool(
        _render,
        request,
        principal,
        unit,
        period,
        picks,
        status,
        typed=filled.typed,
        field_errors=filled.errors,
        source=upload.fields.get("source", ""),
        **context,
    )
