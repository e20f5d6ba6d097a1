"""The page of the tamper-evident log (``/traceability/ledger``): the signed checkpoints, the keys
that signed them, and a plain statement of what they guarantee and what they do not.

A person with a unit (an officer) sees its province's checkpoints; the JSON export
(``/api/v1/traceability/checkpoints``) is linked for a copy kept elsewhere.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal
from ioc57.core.http import read_conn
from ioc57.core.i18n import moment, number
from ioc57.core.pages import page_lang, pager, render, require_login
from ioc57.traceability import ledger

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require_login("traceability.read"))]
SHOWN = 50  # checkpoints a page


@router.get("/traceability/ledger")
def ledger_page(
    request: Request,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    source: Annotated[str | None, Query(max_length=60)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
):
    province = ledger.reader_province(conn, principal.unit_id)
    found, total = ledger.listed(
        conn,
        province=province,
        source=source or None,
        limit=SHOWN,
        offset=(page - 1) * SHOWN,
    )
    export = "/api/v1/traceability/checkpoints" + (f"?source={quote(source)}" if source else "")
    return render(
        request,
        "ledger.html",
        checkpoints=found,
        total=total,
        keys=ledger.key_list(conn),
        source=source or "",
        export=export,
        moment=moment,
        num=number(page_lang(request)),
        pager=pager(request, page, total, SHOWN),
    )
