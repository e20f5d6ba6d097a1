"""``GET /api/v1/feedback/reports/{id}/suggestion``: the category and agency the province's
models suggest for a report, how sure they are, and the n-grams of its text that weighed most.

For the desk, beside the operator's own choice (the operator always confirms or changes it).
``feedback.read``, scoped like the report. The models are those the app trained last
(``suggest_job``); none yet for the report's province: 404. A model unsure of its class (below
``suggest.FLOOR``) suggests nothing for that target (null).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, optional_principal
from ioc57.core.http import read_conn
from ioc57.core.problems import Problem
from ioc57.feedback.access import READ, report_for
from ioc57.feedback.categories import category
from ioc57.feedback.suggest import Model, Suggestion
from ioc57.units.tables import units

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])

ReportId = Annotated[str, Path(min_length=1, max_length=200)]


def _agency_name(conn: Connection, code: str) -> str | None:
    query = select(units.c.name).where(units.c.code == code).order_by(units.c.valid_to.is_(None))
    names = list(conn.execute(query).scalars())
    return names[-1] if names else None  # the current holder of the code, else its last


def _shown(model: Model | None, text: str) -> tuple[Suggestion | None, dict[str, Any]]:
    found = model.suggest(text) if model is not None else None
    return found, {
        "confidence": found.confidence if found else None,
        "because": list(found.because) if found else [],
        "trained_on": model.trained_on if model else 0,
    }


@router.get("/reports/{report_id}/suggestion")
def reports_suggestion(
    report_id: ReportId,
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> dict[str, Any]:
    """The suggested category (with its confidence and reasons, the n-grams of the text that
    weighed most) and agency (``agency_confidence``, ``agency_because``); ``trained_on``: the
    confirmed reports the category model learnt from; ``simulated``: learnt from simulated
    reports (dữ liệu mô phỏng)."""
    row = report_for(conn, principal, READ, report_id)
    models = request.app.state.feedback_suggest.models
    kind, agency = (
        models.get(row.province_code, "category"),
        models.get(row.province_code, "agency"),
    )
    if kind is None and agency is None:
        raise Problem(
            404,
            "No suggestion model for this report's province yet.",
            errors=[{"loc": ["path", "report_id"], "msg": "no model trained yet"}],
        )
    lang = getattr(request.state, "lang", "vi")
    chosen, about_category = _shown(kind, row.text)
    routed, about_agency = _shown(agency, row.text)
    return {
        "category": chosen.label if chosen else None,
        "category_name": category(chosen.label).label(lang) if chosen else None,
        "agency": routed.label if routed else None,
        "agency_name": _agency_name(conn, routed.label) if routed else None,
        **about_category,
        "agency_confidence": about_agency["confidence"],
        "agency_because": about_agency["because"],
        "agency_trained_on": about_agency["trained_on"],
        "simulated": any(m.simulated for m in (kind, agency) if m is not None),
    }
