"""A task as the work on it meets it: its row, and the units its events concern.

Whoever reports on a task, adds evidence, reads its reports or downloads a file acts within the
task's LEAD agency (``queries.task_in_scope``): an officer whose unit holds it (the agency's own,
or the province above it), never one of a cooperating agency; a leader or an admin without a unit
acts on every task.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from ioc57.core.access import Principal
from ioc57.tasks.queries import task_and_chain


@dataclass(frozen=True)
class Assignment:
    """A task's row (of ``queries.TASK_ROWS``) and its lead agency's chain (the agency and the
    units above it: whose streams see the task's events)."""

    row: Any
    chain: frozenset[int]

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def province_code(self) -> str:
        return self.row.province_code

    @property
    def agency_code(self) -> str:
        return self.row.agency_code


def authorized(
    conn: Connection,
    principal: Principal | None,
    action: str,
    task_id: int,
    *,
    for_update: bool = False,
) -> Assignment:
    """The task ``task_id`` once ``principal`` may take ``action`` on it (401 or 403 for a role
    that may not, 404 for no such task, 403 outside the principal's unit); locked until the
    transaction ends when ``for_update`` (two writes to one task take turns)."""
    row, chain = task_and_chain(conn, principal, task_id, action, for_update=for_update)
    return Assignment(row, frozenset(chain))
