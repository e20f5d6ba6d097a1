"""Concerns and tiles as a page shows them, in the page's language: the ``why`` filled with its
figures, times in Việt Nam's time with how long ago, figures in the language's number format,
a trend as an inline SVG line (``spark``), the change against the span before coloured good or
bad."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ioc57 import modules
from ioc57.core.clock import LOCAL_TZ
from ioc57.core.i18n import N_, day, number, translations

STATUS = {"ok": N_("Normal"), "watch": N_("To watch"), "bad": N_("Needs action")}
SEVERITY = {3: N_("Critical"), 2: N_("High"), 1: N_("To watch")}
SPARK_W, SPARK_H = 100, 28


def as_number(value: Any) -> int | float | None:
    """A figure as a number (PostgreSQL's NUMERIC comes as a Decimal); None when it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return None


class _Args(dict):
    """``why``'s fields; one a module forgot stays as written rather than failing the page."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def filled(message: str, args: Mapping[str, Any] | None, show=str) -> str:
    """``message`` with its ``{fields}`` from ``args``, each written by ``show`` (a year as it
    is: 2026, not 2.026)."""
    if not args or not isinstance(args, Mapping):
        return message
    try:
        shown = {k: str(v) if "year" in k else show(v) for k, v in args.items()}
        return message.format_map(_Args(shown))
    except (ValueError, IndexError, AttributeError):
        return message


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def local_time(value: datetime | None) -> str:
    """``dd/mm/yyyy HH:MM`` in Việt Nam's time; None is ``—``."""
    if value is None:
        return "—"
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def iso(value: datetime | None) -> str | None:
    """An aware time as the API and ``datetime`` attributes give it: ISO, Việt Nam's offset."""
    return value.astimezone(LOCAL_TZ).isoformat() if value is not None else None


class Words:
    """What a page in ``lang`` writes: translated messages, figures, how long ago."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.trans = translations(lang)
        self.number = number(lang)

    def tr(self, message: str) -> str:
        return self.trans.gettext(message) if message else ""

    def arg(self, value: Any) -> str:
        if value is None:  # a value not known (an indicator's of a year without one)
            return "—"
        figure = as_number(value)
        if figure is not None:
            return self.number(figure, 0 if isinstance(figure, int) else 2)
        if isinstance(value, datetime):
            return local_time(value)
        if isinstance(value, date):
            return day(value)
        text = str(value)
        if ISO_DAY.fullmatch(text):  # a day a module gave as ISO text ("2026-11-28")
            return day(date.fromisoformat(text))
        # a word a module gave as a message id ("above", "Other agencies and units"); a name
        # (a unit's, a rule's) is not in the catalogue and stays as it is
        return self.tr(text)

    def ago(self, since: datetime, now: datetime) -> str:
        minutes = max(0, int((now - since).total_seconds() // 60))
        if minutes < 60:
            n, text = minutes, self.trans.ngettext("%(n)s minute ago", "%(n)s minutes ago", minutes)
        elif minutes < 48 * 60:
            n = minutes // 60
            text = self.trans.ngettext("%(n)s hour ago", "%(n)s hours ago", n)
        else:
            n = minutes // (24 * 60)
            text = self.trans.ngettext("%(n)s day ago", "%(n)s days ago", n)
        return text % {"n": self.number(n, 0)}

    def figure(self, raw: Any, uom: str | None) -> str:
        """A figure with its unit (a text a module gave as the figure stays as it is)."""
        value = as_number(raw)
        if value is None:
            return "—" if raw is None else str(raw)
        if uom == "percent":
            return f"{self.number(value, 1)} %"
        if uom == "count":
            return self.number(value, 0)
        if uom in (None, "", "points"):
            return self.number(value, 2)
        return f"{self.number(value, 2)} {uom}"


def concern(c: modules.Concern, now: datetime, words: Words) -> dict[str, Any]:
    return {
        "key": c.key,
        "severity": c.severity,
        "severity_label": words.tr(SEVERITY.get(c.severity, SEVERITY[1])),
        "kind": words.tr(c.kind),
        "title": words.tr(c.title),  # a name; or a message id ("Other agencies and units")
        "why": filled(words.tr(c.why), c.args, words.arg),
        "since": local_time(c.since),
        "since_iso": iso(c.since),
        "ago": words.ago(c.since, now),
        "owner": c.owner,
        "points": words.number(c.points, 2) if c.points is not None else None,
        "simulated": c.simulated,
        "source": words.tr(c.source),
        "href": c.href,
    }


def spark(trend: Any) -> str | None:
    """The polyline's points of a trend (``[[day, value], ...]``), scaled to the sparkline's
    box; None under two numbers."""
    numbers = [(i, as_number(v)) for i, (_, v) in enumerate(trend or [])]
    pairs = [(i, v) for i, v in numbers if v is not None]
    values = [v for _, v in pairs]
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    span = (high - low) or 1
    last = max(len(trend) - 1, 1)
    points = [
        f"{i * SPARK_W / last:.1f},{SPARK_H - 2 - (v - low) * (SPARK_H - 4) / span:.1f}"
        for i, v in pairs
    ]
    return " ".join(points)


def delta(data: Mapping[str, Any], words: Words) -> dict[str, str] | None:
    figure = as_number(data.get("delta"))
    if figure is None:
        return None
    change = float(figure)
    good = data.get("good")
    mood = "flat"
    if change and good in ("up", "down"):
        mood = "good" if (change > 0) == (good == "up") else "bad"
    digits = 0 if data.get("uom") == "count" and change.is_integer() else 1
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    return {"text": sign + words.number(abs(change), digits), "mood": mood}


def tile(t: modules.Tile, data: Mapping[str, Any], words: Words) -> dict[str, Any]:
    rows = [
        {
            "label": words.tr(str(row.get("label", ""))),
            "value": words.figure(row.get("value"), None),
            "href": row.get("href"),
        }
        for row in (data.get("rows") or [])[:8]
    ]
    status = data.get("status")
    return {
        "name": t.name,
        "title": words.tr(t.title),
        "events": " ".join(t.events),
        "value": words.figure(data.get("value"), data.get("uom")),
        # a caption may hold ``{fields}`` of the tile's ``args`` ("live of {total}")
        "caption": filled(words.tr(data.get("caption") or ""), data.get("args") or {}, words.arg),
        "spark": spark(data.get("trend")),
        "delta": delta(data, words),
        "status": status if status in STATUS else None,
        "status_label": words.tr(STATUS[status]) if status in STATUS else "",
        "updated": local_time(data.get("updated_at")),
        "updated_iso": iso(data.get("updated_at")),
        "source": words.tr(data.get("source") or ""),
        "simulated": bool(data.get("simulated")),
        "href": data.get("href"),
        "unit": data.get("unit"),
        "rows": rows,
    }
