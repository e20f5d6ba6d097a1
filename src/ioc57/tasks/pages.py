"""The leader's page of the action programmes (``/tasks``) and its status report as XLSX and DOCX.

The page reads the same ``Summary`` the reports are rendered from (``rollup.summary``): the tasks
by status with their rates, by agency, by leader and by programme (each line links to the tasks
it counts), the overdue list and whose it is, the difficulties not answered, and for an officer
its agency's reminders. A person who sees every province reads the country first, one line per
province (the country's summary's), and the province of each overdue task and difficulty; an
officer sees only its unit's subtree. The page lists the oldest difficulties only, and counts them
all; the reports list every one.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal
from ioc57.core.clock import today
from ioc57.core.http import read_conn
from ioc57.core.pages import page_lang, render
from ioc57.core.problems import field_error
from ioc57.tasks import report_docx, report_xlsx, rollup
from ioc57.tasks.pagescope import Code, Reader, Scope, common, linker, own_unit, scope_of
from ioc57.tasks.reminders import reminders_for
from ioc57.tasks.status import STATUSES
from ioc57.tasks.summary import on_time_rate
from ioc57.units.queries import subtree_ids

router = APIRouter(include_in_schema=False)
REMINDERS_SHOWN = 20
SHOWN_ROWS = 50  # of the overdue list and the difficulties (the list page holds them all)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def summary_of(conn: Connection, scope: Scope, difficulties_listed: int | None = None):
    """The ``Summary`` of the tasks in ``scope`` today (a province's or an agency's), listing the
    oldest ``difficulties_listed`` of the difficulties not answered (all for None)."""
    return rollup.summary(
        conn,
        province_code=scope.province.code if scope.province is not None else None,
        agency_ids=scope.agency_ids,
        programme=scope.programme,
        today=today(),
        difficulties_listed=difficulties_listed,
    )


def rates(counts: dict[str, int]) -> dict[str, float | None]:
    """Each status's share of the tasks, in per cent (None when there is none)."""
    total = sum(counts.values())
    return {s: (100 * counts.get(s, 0) / total if total else None) for s in STATUSES}


def own_agencies(conn: Connection, principal: Principal) -> list[int] | None:
    """The agencies whose reminders a person with a unit (an officer) reads: those of its unit's
    subtree; a person without one is reminded of nothing (the lead agencies are)."""
    if principal.unit_id is None:
        return None
    return subtree_ids(conn, own_unit(conn, principal))


@router.get("/tasks")
def leader_page(
    request: Request,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    province: Code = None,
    agency: Code = None,
    programme: Code = None,
):
    scope = scope_of(conn, principal, province, agency, programme)
    context = common(request, conn, principal, scope)
    context["href"] = linker(context["params"])
    agencies = own_agencies(conn, principal)
    if agencies is not None:
        context["reminders"] = reminders_for(conn, agencies, REMINDERS_SHOWN)
    summary = summary_of(conn, scope, SHOWN_ROWS)
    return render(
        request,
        "tasks.html",
        summary=summary,
        provinces=summary.by_province,  # the country: a line per province, then what needs a leader
        rates=rates,
        on_time=on_time_rate,
        shown=SHOWN_ROWS,
        **context,
    )


def issuer_of(scope: Scope) -> tuple[str, str]:
    """Who issues a scope's report (the province's People's Committee, and the agency under it),
    and the place it is issued at (the province's short name); the clerk may change both."""
    assert scope.province is not None
    issuer = f"UBND {scope.province.name.upper()}"
    if scope.agency is not None:
        issuer += f"\n{scope.agency.name.upper()}"
    return issuer, scope.province.short_name


def _filename(scope: Scope, suffix: str) -> str:
    parts = [scope.province.code if scope.province is not None else "VN"]
    if scope.agency is not None:
        parts.append(scope.agency.code)
    if scope.programme:
        parts.append(scope.programme)
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(parts)).strip("-")
    return f"bao-cao-nhiem-vu-{name}-{today():%Y%m%d}.{suffix}"


@router.get("/tasks/report.{kind}")
def report_download(
    request: Request,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    kind: Literal["xlsx", "docx"],
    province: Code = None,
    agency: Code = None,
    programme: Code = None,
) -> Response:
    """The status report of the page's scope, as XLSX or as a DOCX ready to sign (a province's:
    the country has no single issuing body to sign it)."""
    scope = scope_of(conn, principal, province, agency, programme)
    if scope.province is None:
        raise field_error("province", "choose a province: a report is a province's")
    summary = summary_of(conn, scope)
    if kind == "docx":  # an administrative document: Vietnamese, whoever downloads it
        issuer, place = issuer_of(scope)
        body = report_docx.docx_bytes(summary, issuer=issuer, place=place, lang="vi")
        media_type = DOCX_TYPE
    else:
        body, media_type = report_xlsx.xlsx_bytes(summary, lang=page_lang(request)), XLSX_TYPE
    headers = {
        "Content-Disposition": f'attachment; filename="{_filename(scope, kind)}"',
        "Cache-Control": "no-store",
    }
    return Response(body, media_type=media_type, headers=headers)
