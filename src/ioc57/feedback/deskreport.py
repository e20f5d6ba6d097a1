"""One report's page for staff (``/feedback/{id}``): its text and photos, the citizen's contact for
those who may call back, its deadline, its timeline, the suggested category and agency (read by the
page's script from ``/api/v1/feedback/reports/{id}/suggestion``; nothing shows without one), and a
form for each step this person may take from the report's status now (``workflow.STEPS``: the
step's action in the report's scope). The forward form preselects the agency the province's route
names for the category (else the suggested one); the operator confirms or changes it.

Mounted after every fixed ``/feedback/...`` page: its path takes any last segment.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import today
from ioc57.core.i18n import moment
from ioc57.core.pages import page_lang, render
from ioc57.feedback import labels, queries
from ioc57.feedback.access import READ, TRIAGE, report_chain, report_for
from ioc57.feedback.categories import categories
from ioc57.feedback.desk import Reader, day_of, form_words
from ioc57.feedback.routes import agencies_of, home_province, route_for
from ioc57.feedback.workflow import CITIZEN, STEPS

router = APIRouter(include_in_schema=False)
ReportId = Annotated[str, Path(min_length=1, max_length=200)]
Done = Literal[("taken", *STEPS)]  # type: ignore[valid-type]


# the step a report usually takes next first (its form opens with the page), then the others
USUAL = ("forward", "start", "answer", "publish", "close", "reply", "rate", "request_info")


def steps_for(conn: Connection, principal: Principal, row: Any) -> list[str]:
    """The steps ``principal`` may take on the report now: from its status, with the step's
    action in the report's scope (the citizen's rating, as said on the phone, is the IOC's);
    the usual next one first, refusing, merging and reopening last."""
    chain = report_chain(conn, row)
    allowed = [
        name
        for name, step in STEPS.items()
        if row.status in step.sources
        and may(principal, TRIAGE if step.action == CITIZEN else step.action, chain)
    ]
    return sorted(allowed, key=lambda name: USUAL.index(name) if name in USUAL else len(USUAL))


def report_context(conn: Connection, principal: Principal, report_id: str, lang: str) -> dict:
    """What the page shows of the report, and the forms this person gets."""
    row = report_for(conn, principal, READ, report_id)
    shown = queries.staff_view(conn, row.record_id, principal, today(), lang)
    province = row.province_code or home_province(conn, principal)
    allowed = steps_for(conn, principal, row)
    routed = route_for(conn, province, row.category) if province else None
    return {
        "report": shown,
        "steps": allowed,
        "agencies": agencies_of(conn, province) if province and "forward" in allowed else [],
        "routed": routed,
        # the agency the forward form preselects: the route's, else the suggestion's
        "preselected": (
            (shown["agency"] or {}).get("code") or routed or shown["suggested"]["agency"]
        ),
        "categories": [(c.code, c.label(lang)) for c in categories().values()],
    }


@router.get("/feedback/{report_id}", response_class=HTMLResponse)
async def report_page(
    report_id: ReportId, request: Request, principal: Reader, done: Done | None = None
):
    lang = page_lang(request)

    def read() -> dict:
        with request.app.state.engine.connect() as conn:
            return report_context(conn, principal, report_id, lang)

    context = await run_in_threadpool(read)
    return render(
        request,
        "desk_report.html",
        labels=labels,
        words=form_words(lang),
        done=done,
        day_of=day_of,
        moment=moment,
        **context,
    )
