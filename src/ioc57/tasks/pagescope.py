"""What the tasks pages share: the scope a request names (a province, an agency's subtree, a
programme), checked against the reader's own; its filters, its title, and the addresses of the
same scope with a filter changed.

An officer (a person with a unit) reads only the tasks whose lead agency lies in its unit's
subtree; a person without one reads every province, and the country as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize
from ioc57.core.clock import today
from ioc57.core.i18n import day, number, translations
from ioc57.core.pages import link, page_lang, require_login
from ioc57.core.problems import field_error
from ioc57.tasks.labels import LABELS
from ioc57.tasks.queries import READ
from ioc57.tasks.status import STATUSES
from ioc57.tasks.tables import programmes, tasks
from ioc57.units.queries import own_unit, scope_chain, subtree_ids, unit_at, valid_at
from ioc57.units.tables import units

Reader = Annotated[Principal, Depends(require_login(READ))]
Code = Annotated[str | None, Query(max_length=40)]


@dataclass(frozen=True)
class Scope:
    """The tasks a page shows: a province's (or the country's, ``province`` None), narrowed to an
    agency's subtree and to a programme."""

    province: Any | None
    agency: Any | None
    agency_ids: list[int] | None
    programme: str | None

    def params(self) -> dict[str, str]:
        """The query that names this scope again (for the links of the page)."""
        chosen = {
            "province": self.province.code if self.province is not None else None,
            "agency": self.agency.code if self.agency is not None else None,
            "programme": self.programme,
        }
        return {k: v for k, v in chosen.items() if v}


def scope_of(
    conn: Connection,
    principal: Principal,
    province: str | None,
    agency: str | None,
    programme: str | None = None,
) -> Scope:
    """The scope a request names, checked: 422 naming ``province`` or ``agency`` for a code no
    current unit of that kind has, 403 for a unit outside the person's subtree. Without either,
    the person's own unit (an officer's), or the country. An agency or a programme of another
    province than the one named is dropped: the province was changed in the filters."""
    province, agency = (province or "").strip(), (agency or "").strip()
    programme = (programme or "").strip() or None
    chosen = None
    if agency:
        chosen = unit_at(conn, agency, today())
        if chosen is None:
            raise field_error("agency", f"no current unit has code {agency!r}")
        if province and chosen.province_code != province:
            chosen = None
    if chosen is None and province:
        chosen = unit_at(conn, province, today())
        if chosen is None or chosen.level != "province":
            raise field_error("province", f"no current province has code {province!r}")
    elif chosen is None and principal.unit_id is not None:
        chosen = own_unit(conn, principal)
    if programme and chosen is not None and not _has_programme(conn, chosen, programme):
        programme = None
    if chosen is None:
        return Scope(None, None, None, programme)
    authorize(principal, READ, scope_chain(conn, chosen))
    if chosen.level == "province":
        return Scope(chosen, None, None, programme)
    home = unit_at(conn, chosen.province_code, today())
    return Scope(home, chosen, subtree_ids(conn, chosen), programme)


def _has_programme(conn: Connection, unit: Any, code: str) -> bool:
    query = select(programmes.c.id).where(
        programmes.c.province_code == unit.province_code, programmes.c.code == code
    )
    return conn.execute(query.limit(1)).first() is not None


def conditions(scope: Scope) -> list[Any]:
    """Conditions on ``tasks`` for the tasks of ``scope``."""
    where = []
    if scope.province is not None:
        where.append(tasks.c.province_code == scope.province.code)
    if scope.agency_ids is not None:
        where.append(tasks.c.agency_id.in_(scope.agency_ids))
    if scope.programme:
        where.append(tasks.c.programme_code == scope.programme)
    return where


def title_of(scope: Scope, lang: str) -> str:
    """The scope as a person reads it: an agency, a province, or the country; and a programme."""
    if scope.agency is not None:
        name = scope.agency.name
    elif scope.province is not None:
        name = scope.province.name
    else:
        name = translations(lang).gettext("The whole country")
    return f"{name} · {scope.programme}" if scope.programme else name


def linker(chosen: dict[str, Any]) -> Callable[..., str]:
    """``href(path, **changes)``: an address for the filters chosen, some of them changed (None
    drops one)."""

    def href(path: str, **changes: Any) -> str:
        return link(path, **(chosen | changes)) if any((chosen | changes).values()) else path

    return href


def choices(conn: Connection, principal: Principal, scope: Scope) -> dict[str, list[Any]]:
    """What the filters offer: the province's programmes and the agencies that lead its tasks
    (within the person's subtree), and the provinces to a person who sees them all."""
    out: dict[str, list[Any]] = {"programmes": [], "agencies": [], "provinces": []}
    if principal.unit_id is None:
        query = select(units.c.code, units.c.name).where(
            units.c.level == "province", valid_at(today())
        )
        out["provinces"] = list(conn.execute(query.order_by(units.c.name)))
    if scope.province is None:
        return out
    code = scope.province.code
    query = select(programmes.c.code, programmes.c.title).where(programmes.c.province_code == code)
    out["programmes"] = list(conn.execute(query.order_by(programmes.c.issued_date.desc())))
    leading = select(tasks.c.agency_id).where(tasks.c.province_code == code).distinct()
    query = select(units.c.code, units.c.name).where(units.c.id.in_(leading))
    if principal.unit_id is not None:
        own = own_unit(conn, principal)
        query = query.where(units.c.id.in_(subtree_ids(conn, own)))
    out["agencies"] = list(conn.execute(query.order_by(units.c.name)))
    return out


def shown_task(item: dict[str, Any]) -> dict[str, Any]:
    """A task as the API gives it, with its days as dates (the pages write them dd/mm/yyyy)."""
    days = ("deadline", "extended_deadline", "completed_on", "last_reported_on")
    return item | {k: date.fromisoformat(item[k]) if item[k] else None for k in days}


def common(request: Request, conn: Connection, principal: Principal, scope: Scope) -> dict:
    """What every page of the tasks' lists shows: the scope, its filters, the labels."""
    lang = page_lang(request)
    return {
        "scope": scope,
        "title": title_of(scope, lang),
        "params": scope.params(),
        "choices": choices(conn, principal, scope),
        "labels": LABELS,
        "statuses": STATUSES,
        "num": number(lang),
        "day": day,
        "as_of": day(today()),
    }
