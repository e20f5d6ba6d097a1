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
from ioc57.centre.shown import Words, filled
from ioc57.centre.shown import local_time as local
from ioc57.centre.shown import tile as tile_shown
from ioc57.core.access import Principal
from ioc57.core.clock import LOCAL_TZ
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


def _line(concern: modules.Concern, words: Words, start: datetime, end: datetime) -> Line:
    return Line(
        kind=words.tr(concern.kind),
        title=words.tr(concern.title),  # a name; or a message id ("Other agencies and units")
        why=filled(words.tr(concern.why), concern.args, words.arg),
        since=local(concern.since),
        owner=concern.owner or "",
        severity=concern.severity,
        new=start <= concern.since < end,
        simulated=concern.simulated,
        href=concern.href,
    )


def _figure(tile: modules.Tile, data: Mapping[str, Any], words: Words) -> Figure:
    """A tile as the leader's home writes it (``shown.tile``), its change signed."""
    shown = tile_shown(tile, data, words)
    return Figure(
        title=shown["title"],
        value=shown["value"],
        caption=shown["caption"],
        change=shown["delta"]["text"] if shown["delta"] else "",
        source=shown["source"],
        updated=shown["updated"],
        simulated=shown["simulated"],
    )


def figures(conn: Connection, principal: Principal, at: datetime, words: Words) -> list[Figure]:
    out = []
    for tile in registry.offered().tiles:
        try:
            shown = registry.render_tile(tile, conn, principal, at)
        except SQLAlchemyError:
            registry.log.exception("a tile could not be read: %s", tile.name)
            continue
        if shown is not None:
            out.append(_figure(tile, shown, words))
    return out


def make(
    conn: Connection, principal: Principal, day: date, at: datetime, lang: str = "vi"
) -> Brief:
    """The brief of ``day`` in ``principal``'s scope, made at ``at`` (aware)."""
    start, end = span(day)
    words = Words(lang)
    found, failed = registry.concerns(conn, principal, at, READ)
    lines = [_line(c, words, start, end) for c in found]
    changed: dict[str, list[Line]] = {}
    for concern, line in zip(found, lines, strict=True):
        if start <= concern.since < end:
            changed.setdefault(line.kind, []).append(line)
    notes = []
    if end <= at.astimezone(LOCAL_TZ):
        notes.append(w.say(lang, "past").format(made=local(at)))
    if failed:
        notes.append(w.say(lang, "failed").format(count=len(failed)))
    shown = figures(conn, principal, at, words)
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
