"""Period codes, one scheme everywhere: ``2025``, ``2025S1``, ``2025Q3``, ``202509``, ``2025W37``, ``20250915``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ioc57.core.i18n import N_, gettext

PATTERNS = [
    ("year", re.compile(r"^(\d{4})$")),
    ("half", re.compile(r"^(\d{4})S([12])$")),
    ("quarter", re.compile(r"^(\d{4})Q([1-4])$")),
    ("month", re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")),
    ("week", re.compile(r"^(\d{4})W(0[1-9]|[1-4]\d|5[0-3])$")),
    ("day", re.compile(r"^(\d{4})(\d{2})(\d{2})$")),
]


@dataclass(frozen=True)
class Period:
    code: str
    type: str
    start: date
    end: date  # the last day, inclusive


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


@lru_cache(maxsize=4096)  # a batch of values names a few periods many times; a Period is frozen
def parse_period(code: str) -> Period:
    """The period a code names; ``ValueError`` with a readable message when it names none."""
    text = (code or "").strip()
    for kind, pattern in PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if not 1900 <= year <= 2100:
            break
        if kind == "year":
            return Period(text, kind, date(year, 1, 1), date(year, 12, 31))
        if kind == "half":
            half = int(match.group(2))
            return Period(text, kind, date(year, 6 * half - 5, 1), _month_end(year, 6 * half))
        if kind == "quarter":
            q = int(match.group(2))
            return Period(text, kind, date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
        if kind == "month":
            month = int(match.group(2))
            return Period(text, kind, date(year, month, 1), _month_end(year, month))
        if kind == "week":
            week = int(match.group(2))
            try:
                start = date.fromisocalendar(year, week, 1)
            except ValueError:
                break
            return Period(text, kind, start, start + timedelta(days=6))
        try:
            day = date(year, int(match.group(2)), int(match.group(3)))
        except ValueError:
            break
        return Period(text, kind, day, day)
    raise ValueError(
        f"{code!r} is not a period code (2025, 2025S1, 2025Q3, 202509, 2025W37 or 20250915)"
    )


def period_containing(day: date, kind: str) -> Period:
    """The period of type ``kind`` (year, half, quarter, month, day) that holds ``day``."""
    if kind == "year":
        return parse_period(f"{day.year}")
    if kind == "half":
        return parse_period(f"{day.year}S{1 if day.month <= 6 else 2}")
    if kind == "quarter":
        return parse_period(f"{day.year}Q{(day.month - 1) // 3 + 1}")
    if kind == "month":
        return parse_period(f"{day.year}{day.month:02d}")
    if kind == "day":
        return parse_period(day.strftime("%Y%m%d"))
    raise ValueError(f"{kind!r} is not a period type (year, half, quarter, month or day)")


ROMAN = ("I", "II", "III", "IV")

# how people say a period (``{name}`` fields filled after translation)
SPOKEN = {
    "year": N_("Year {year}"),
    "half": N_("First half of {year}"),
    "half2": N_("Second half of {year}"),
    "quarter": N_("Q{quarter} {year}"),
    "month": N_("Month {month}/{year}"),
    "week": N_("Week {week}/{year}"),
    "day": N_("{day}"),
}


def spoken(code: str, lang: str) -> str:
    """A period as people say it: ``Tháng 10/2025``, ``Quý III/2025``, ``6 tháng đầu năm 2025``
    (``Month 10/2025``, ``Q3 2025``, ``First half of 2025`` in English); a code that names no period is
    shown as it is."""
    try:
        period = parse_period(code)
    except ValueError:
        return code or "—"
    start = period.start
    fields = {
        "year": start.year,
        "month": f"{start.month:02d}",
        "quarter": (start.month - 1) // 3 + 1,
        "roman": ROMAN[(start.month - 1) // 3],
        "half": 1 if start.month <= 6 else 2,
        "week": code[-2:] if period.type == "week" else "",
        "day": start.strftime("%d/%m/%Y"),
    }
    kind = "half2" if period.type == "half" and fields["half"] == 2 else period.type
    return gettext(lang, SPOKEN[kind]).format(**fields)
