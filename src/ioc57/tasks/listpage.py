"""The list of tasks (``/tasks/list``): those of a scope, filtered by programme, lead agency,
status and leader in charge, a page at a time, each with its status as a coloured label and its
text (never colour alone)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.engine import Connection

from ioc57.core.clock import today
from ioc57.core.http import MAX_OFFSET, read_conn
from ioc57.core.pages import pager, render
from ioc57.tasks.pagescope import Code, Reader, common, conditions, linker, scope_of, shown_task
from ioc57.tasks.queries import list_tasks
from ioc57.tasks.status import STATUSES
from ioc57.tasks.tables import tasks

router = APIRouter(include_in_schema=False)
PAGE = 50  # tasks of a page
PageNumber = Annotated[int, Query(ge=1, le=MAX_OFFSET // PAGE)]
StatusChoice = Literal[("", *STATUSES)]  # type: ignore[valid-type]


@router.get("/tasks/list")
def list_page(
    request: Request,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    province: Code = None,
    agency: Code = None,
    programme: Code = None,
    status: StatusChoice = "",
    leader: Annotated[str | None, Query(max_length=200)] = None,
    page: PageNumber = 1,
):
    scope = scope_of(conn, principal, province, agency, programme)
    context = common(request, conn, principal, scope)
    where = conditions(scope)
    leader = (leader or "").strip() or None
    if leader:
        where.append(tasks.c.leader == leader)
    body = list_tasks(conn, where, today(), status or None, PAGE, (page - 1) * PAGE)
    chosen = context["params"] | {"status": status or None, "leader": leader}
    return render(
        request,
        "tasks_list.html",
        items=[shown_task(item) for item in body["items"]],
        total=body["total"],
        simulated=any(item["simulated"] for item in body["items"]),
        pager=pager(request, page, body["total"], PAGE),
        chosen=chosen,
        href=linker(chosen),
        **context,
    )
