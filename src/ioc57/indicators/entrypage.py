"""The page where people enter values: an XLSX or CSV template for a unit and a period, and upload.

``GET /indicators/entry`` chooses the unit and the period and links the two templates, which
``GET /indicators/template.xlsx`` and ``/indicators/template.csv`` build. ``POST /indicators/entry``
takes a filled template through the gate as ``POST /api/v1/observations`` takes values: from the
built-in source, with the person as principal, so that the access policy confines them to their
unit and approves at once the values of those who may review (a leader, an admin).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, WriteGrant, authorize, authorize_write, check_csrf
from ioc57.core.clock import today
from ioc57.core.http import read_conn
from ioc57.core.i18n import N_, translations
from ioc57.core.messages import entry
from ioc57.core.pages import page_lang, render, require_login
from ioc57.core.periods import Period, parse_period
from ioc57.core.problems import Problem, field_error
from ioc57.core.uploads import TooLarge, Upload
from ioc57.indicators import errors, template
from ioc57.indicators.choices import period_choices, unit_choices
from ioc57.indicators.records import OBSERVATION
from ioc57.ingest.batches import BatchResult
from ioc57.ingest.entry import entry_source
from ioc57.ingest.gate import Gate
from ioc57.ingest.spreadsheet import TemplateError
from ioc57.units.queries import scope_chain, unit_at

router = APIRouter(include_in_schema=False)

PATH = "/indicators/entry"
ACTION = "observations.submit"
MAX_MB = 5
MAX_BYTES = MAX_MB * 1024 * 1024
UnitParam = Annotated[str, Query(max_length=40)]
PeriodParam = Annotated[str, Query(max_length=10)]

NO_FILE = N_("Choose a file to import.")
TOO_LARGE = N_("The file is larger than %(mb)s MB.")
OUTSIDE = N_(
    "Nothing was stored: you may report only for %(unit)s and the units under it, and the file "
    "holds values for %(others)s."
)


class Outside(Exception):  # rows for units outside the person's scope: nothing is stored
    pass


@dataclass
class Choice:
    unit: Any
    period: Period
    indicators: list


Reporter = Annotated[Principal, Depends(require_login(ACTION))]


def choose(
    conn: Connection, principal: Principal | None, unit_code: str, period_code: str
) -> Choice:
    """The unit and period of a template, checked: a known unit in the person's scope, and a
    period that has begun and for which some indicator is reported."""
    authorize(principal, ACTION)
    try:
        period = parse_period(period_code)
    except ValueError:
        raise field_error("period", errors.BAD_PERIOD, value=period_code) from None
    if period.start > today():
        raise field_error("period", errors.FUTURE, period=period.code)
    indicators = template.indicators_for(period.code)
    if not indicators:
        raise field_error("period", errors.SHORT, period=period.code)
    unit = unit_at(conn, unit_code.strip(), period.end) if unit_code.strip() else None
    if unit is None:
        raise field_error("unit", errors.NO_UNIT, unit=unit_code.strip())
    authorize(principal, ACTION, scope_chain(conn, unit))
    return Choice(unit, period, indicators)


def _last_month() -> str:
    first = today().replace(day=1)
    return f"{first.year - 1}12" if first.month == 1 else f"{first.year}{first.month - 1:02d}"


def _state(conn: Connection, principal: Principal, unit: str | None, period: str | None):
    """The page's form and choice (or the reason there is none), and the status it implies."""
    form = {
        "unit": ((principal.unit_code or "") if unit is None else unit).strip(),
        "period": (period or _last_month()).strip(),
    }
    if not form["unit"]:
        return {"form": form}, 200
    try:
        choice = choose(conn, principal, form["unit"], form["period"])
    except Problem as exc:
        said = exc.errors[0] if exc.status == 422 else entry(errors.SCOPE, ["unit"])
        return {"form": form, "choice_error": said}, exc.status
    query = urlencode({"unit": choice.unit.code, "period": choice.period.code})
    return {"form": form, "choice": choice, "query": query}, 200


def _render(request: Request, principal: Principal, unit, period, status: int | None, **context):
    with request.app.state.engine.connect() as conn:
        state, implied = _state(conn, principal, unit, period)
        chosen = state["choice"].unit if "choice" in state else None
        state["units"] = unit_choices(conn, principal, chosen)
    state["periods"] = period_choices(today(), state["form"]["period"])
    # what the policy says of a person's values (a person is never the entry source's own user)
    grant = authorize_write(
        principal, OBSERVATION.write_action, own_source=False, review=OBSERVATION.review_action
    )
    return render(
        request,
        "entry.html",
        status_code=status or implied,
        accept=".xlsx,.csv",
        max_mb=MAX_MB,
        approves=grant.approve,
        **state,
        **context,
    )


@router.get(PATH)
def entry_form(
    request: Request,
    principal: Reporter,
    unit: UnitParam | None = None,
    period: PeriodParam | None = None,
):
    return _render(request, principal, unit, period, None)


@router.get("/indicators/template.{kind}")
def template_download(
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    kind: Literal["xlsx", "csv"],
    unit: UnitParam,
    period: PeriodParam,
) -> Response:
    """The template for ``unit`` and ``period``, with the values already stored for them."""
    choice = choose(conn, request.app.state.authenticate(request), unit, period)
    rows = template.template_rows(conn, choice.unit, choice.period)
    gettext = translations(page_lang(request)).gettext
    if kind == "xlsx":
        body = template.xlsx_bytes(
            rows, choice.unit, choice.period, gettext, lang=page_lang(request)
        )
        media_type = template.XLSX_TYPE
    else:
        body, media_type = template.csv_bytes(rows, gettext), "text/csv; charset=utf-8"
    name = f"ioc57-{re.sub(r'[^A-Za-z0-9_-]', '', choice.unit.code)}-{choice.period.code}.{kind}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(body, media_type=media_type, headers=headers)


# -- the upload --------------------------------------------------------------------------------


def _outside(gate: Gate, grant: WriteGrant, rows: list) -> list[str]:
    """The units the rows name that the policy puts outside the person's scope (each looked up
    as of the end of its row's period, as the gate does); unknown units are left to the gate."""
    allowed: dict[tuple[str, Any], bool] = {}
    for _, row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("unit"), str):
            continue
        try:
            day = parse_period(str(row.get("period", ""))).end
        except ValueError:
            day = today()
        key = (row["unit"].strip(), day)
        if key not in allowed:
            unit = gate.cache.at(key[0], day)
            allowed[key] = unit is None or not grant.unit_error("unit", unit.code, unit.scope)
    return sorted({code for (code, _), ok in allowed.items() if not ok})


def _ingest(request: Request, principal: Principal, upload: Upload, form: dict):
    """Read the file and send its rows through the gate; ``TemplateError`` or ``Outside`` when
    nothing may be stored."""
    assert upload.path is not None  # entry_upload answers a form without a file
    read = template.read_upload(upload.path, upload.filename or "")
    for _, row in read.rows:
        if isinstance(row, dict):
            for key in ("unit", "period"):
                if form[key]:
                    row.setdefault(key, form[key])
    gate = request.app.state.gate
    with gate.engine.connect() as conn:
        source = entry_source(conn)
    # a file that names a unit outside the person's scope stores nothing (the gate would keep
    # the rows within it): the template is for one unit, such a file is a mistake
    outside = _outside(gate, gate.authorize(principal, source, "observation"), read.rows)
    if outside:
        raise Outside(", ".join(outside))
    kind = template.XLSX_TYPE if read.format == "xlsx" else "text/csv"
    result = gate.ingest(
        source,
        "observation",
        read.rows,
        principal=principal,
        via="file",
        filename=(upload.filename or "")[:300],
        raw=[(upload.path.read_bytes(), kind)],
    )
    return read, result


def _report(read: template.Upload, result: BatchResult) -> dict[str, Any]:
    """The counts, and one line per reason a row was rejected (by its row in the file)."""
    rows = dict(read.rows)
    rejected = []
    for item in result.rejected:
        row = rows.get(item["index"])
        indicator = row.get("indicator", "") if isinstance(row, dict) else ""
        for err in item["errors"]:
            field = ".".join(map(str, err["loc"])).replace("__root__", "")
            rejected.append(
                {"row": item["index"], "indicator": indicator, "field": field, "error": err}
            )
    counts = {k: getattr(result, k) for k in ("submitted", "accepted", "updated", "unchanged")}
    counts |= {"stale": result.stale, "rejected": result.rejected_count, "skipped": read.skipped}
    return {"counts": counts, "rejected": rejected}


@router.post(PATH)
async def entry_upload(request: Request, principal: Reporter):
    upload, too_large = Upload(), {"error": TOO_LARGE, "params": {"mb": MAX_MB}}

    async def page(status: int, **context):
        unit, period = upload.fields.get("unit"), upload.fields.get("period")
        return await run_in_threadpool(_render, request, principal, unit, period, status, **context)

    try:
        try:
            await upload.read(request, MAX_BYTES)
        except TooLarge:
            return await page(413, **too_large)
        check_csrf(request, upload.fields.get("csrf_token"))
        if not upload.filename or upload.path is None:
            return await page(400, error=NO_FILE, params={})
        form = {k: upload.fields.get(k, "").strip() for k in ("unit", "period")}
        try:
            read, result = await run_in_threadpool(_ingest, request, principal, upload, form)
        except TemplateError as exc:
            return await page(400, error=exc.msg, params=exc.params, filename=upload.filename)
        except Outside as exc:
            params = {"unit": principal.unit_code, "others": str(exc)}
            return await page(403, error=OUTSIDE, params=params, filename=upload.filename)
        return await page(200, filename=upload.filename, **_report(read, result))
    finally:
        upload.discard()
