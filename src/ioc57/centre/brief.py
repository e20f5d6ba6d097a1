"""What the daily brief says, for a person's scope and a day, whatever it is written to (DOCX, PDF,
an email): its heading in the administrative layout, (1) what needs attention, (2) the key
figures, (3) what changed that day.

The span of a day's brief is the day itself, and for a working day also the days off that follow
it up to the next working day (a Friday's brief covers the weekend): the brief sent on the
morning of a working day is that of the working day before (``brief_job``), so that briefs sent
one after the other cover every hour once.

Concerns and figures are read as they stand when the brief is made: the modules keep no history
of them. A brief of a past day says so, and marks "new" the concerns that arose in its span;
concerns that arose then and have since been settled are not in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from ioc57 import modules
from ioc57.centre import brief_words as w
from ioc57.centre import registry
from ioc57.core.access import Principal
from ioc57.core.clock import LOCAL_TZ
from ioc57.core.i18n import gettext, number
from ioc57.core.workdays import is_working_day
from ioc57.units.queries import ancestors, unit_by_id
from ioc57.units.tables import units

READ = 200  # concerns read at most
LISTED = 25  # concerns listed in section 1 at most (the others are counted)


@dataclass(frozen=True)
class Line:
    """A concern as the brief writes it (translated)."""

    kind: str
    title: str
    why: str
    since: str  # dd/mm/yyyy HH:MM, Việt Nam's time
    owner: str
    severity: int
    new: bool  # arose in the brief's span
    simulated: bool
    href: str


@dataclass(frozen=True)
class Figure:
    """A tile as the brief writes it (translated)."""

    title: str
    value: str
    caption: str
    change: str  # against the span before, signed; "" when the tile gives none
    source: str
    updated: str
    simulated: bool


@dataclass(frozen=True)
class Brief:
    day: date
    lang: str
    issuer: str  # a line each, the governing body first
    dated: str  # "Đồng Tháp, ngày 02 tháng 12 năm 2026"
    title: str
    subject: str
    notes: tuple[str, ...]  # how to read it (a past day, sources that could not be read)
    attention: tuple[Line, ...]
    more: int  # concerns not listed
    figures: tuple[Figure, ...]
    changes: tuple[tuple[str, tuple[Line, ...]], ...]  # by kind
    made: str  # when it was made, dd/mm/yyyy HH:MM
    simulated: bool

    def say(self, key: str) -> str:
        return w.say(self.lang, key)


def span(day: date) -> tuple[datetime, datetime]:
    """The start and end (aware, Việt Nam's time) of what a day's brief covers."""
    end = day + timedelta(days=1)
    if is_working_day(day):
        while not is_working_day(end) and end - day < timedelta(days=31):
            end += timedelta(days=1)
    at = lambda d: datetime.combine(d, time(), LOCAL_TZ)  # noqa: E731
    return at(day), at(end)


def local(value: datetime) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def heading(conn: Connection, principal: Principal) -> tuple[str, str]:
    """The issuing body (the governing body above the centre or the unit) and the place."""
    unit = unit_by_id(conn, principal.unit_id) if principal.unit_id is not None else None
    if unit is None:
        provinces = conn.execute(
            select(units.c.name, units.c.short_name).where(
                units.c.level == "province", units.c.valid_to.is_(None)
            )
        ).all()
        if len(provinces) != 1:
            return w.CENTRE, ""
        return f"UBND {provinces[0].name}\n{w.CENTRE}", provinces[0].short_name
    chain = [*ancestors(conn, unit), unit]
    province = next((u for u in chain if u.level == "province"), None)
    place = province.short_name if province is not None else unit.short_name
    if unit.level == "province":
        return f"UBND {unit.name}\n{w.CENTRE}", place
    if unit.level == "agency":
        top = f"UBND {province.name}\n" if province is not None else ""
        return top + unit.name, place
    return (f"UBND {province.name}\n" if province is not None else "") + f"UBND {unit.name}", place


def _why(concern: modules.Concern, lang: str) -> str:
    text = gettext(lang, concern.why)
    try:
        return text.format(**concern.args)
    except (KeyError, IndexError, ValueError):
        return text


def _line(concern: modules.Concern, lang: str, start: datetime, end: datetime) -> Line:
    return Line(
        kind=gettext(lang, concern.kind),
        title=concern.title,
        why=_why(concern, lang),
        since=local(concern.since),
        owner=concern.owner or "",
        severity=concern.severity,
        new=start <= concern.since < end,
        simulated=concern.simulated,
        href=concern.href,
    )


def _figure(tile: modules.Tile, shown: Mapping[str, Any], lang: str) -> Figure:
    fmt = number(lang)
    value, uom = shown.get("value"), shown.get("uom") or ""
    unit = {"percent": "%", "count": "", "points": " " + w.say(lang, "points")}.get(uom, f" {uom}")
    delta = shown.get("delta")
    change = "" if delta is None else ("+" if delta > 0 else "") + fmt(delta) + unit.strip()
    updated = shown.get("updated_at")
    return Figure(
        title=gettext(lang, tile.title),
        value="—" if value is None else fmt(value) + unit,
        caption=gettext(lang, shown.get("caption") or ""),
        change=change,
        source=gettext(lang, shown.get("source") or ""),
        updated=local(updated) if isinstance(updated, datetime) else "—",
        simulated=bool(shown.get("simulated")),
    )


def figures(conn: Connection, principal: Principal, at: datetime, lang: str) -> list[Figure]:
    out = []
    for tile in registry.offered().tiles:
        try:
            shown = registry.render_tile(tile, conn, principal, at)
        except SQLAlchemyError:
            registry.log.exception("a tile could not be read: %s", tile.name)
            continue
        if shown is not None:
            out.append(_figure(tile, shown, lang))
    return out


def make(
    conn: Connection, principal: Principal, day: date, at: datetime, lang: str = "vi"
) -> Brief:
    """The brief of ``day`` in ``principal``'s scope, made at ``at`` (aware)."""
    start, end = span(day)
    found, failed = registry.concerns(conn, principal, at, READ)
    lines = [_line(c, lang, start, end) for c in found]
    changed: dict[str, list[Line]] = {}
    for concern, line in zip(found, lines, strict=True):
        if start <= concern.since < end:
            changed.setdefault(line.kind, []).append(line)
    notes = []
    if end <= at.astimezone(LOCAL_TZ):
        notes.append(w.say(lang, "past").format(made=local(at)))
    if failed:
        notes.append(w.say(lang, "failed").format(count=len(failed)))
    shown = figures(conn, principal, at, lang)
    issuer, place = heading(conn, principal)
    return Brief(
        day=day,
        lang=lang,
        issuer=issuer,
        dated=w.dated(lang, place, at.astimezone(LOCAL_TZ).date()),
        title=w.TITLE[lang],
        subject=w.subject(lang, day, end.date() - timedelta(days=1)),
        notes=tuple(notes),
        attention=tuple(lines[:LISTED]),
        more=max(len(lines) - LISTED, 0),
        figures=tuple(shown),
        changes=tuple((kind, tuple(items)) for kind, items in changed.items()),
        made=local(at),
        simulated=any(x.simulated for x in lines) or any(f.simulated for f in shown),
    )
