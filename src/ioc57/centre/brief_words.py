"""The words of the daily brief: its heading in the administrative layout (Vietnamese, or English
when asked) and the message ids of the rest, translated into the brief's language."""

from __future__ import annotations

from datetime import date

from ioc57.core.i18n import N_, day, gettext
from ioc57.core.officedoc import written_date

CENTRE = "Trung tâm Giám sát, điều hành thông minh"
TITLE = {"vi": "BẢN TIN ĐIỀU HÀNH HẰNG NGÀY", "en": "DAILY OPERATIONS BRIEF"}
MOTTO = {
    "vi": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"),
    "en": ("SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness"),
}

WORDS = {
    "attention": N_("1. What needs attention"),
    "figures": N_("2. Key figures"),
    "changes": N_("3. What changed"),
    "nothing": N_("Nothing needs attention."),
    "no_changes": N_("Nothing new needed attention in this span."),
    "no_figures": N_("No key figure is available."),
    "more": N_("… and {count} more: see the leader's home."),
    "new": N_("new"),
    "simulated": N_("simulated data"),
    "simulated_note": N_(
        "Part of this brief is made from simulated data (marked), not for directing work."
    ),
    "past": N_(
        "What needs attention and the key figures are as they stand at {made}, when this brief "
        "was made, not as they stood at the end of the day; the concerns that arose in the "
        "day are marked new, those settled since are not listed."
    ),
    "failed": N_("{count} source(s) of concerns could not be read: the list may miss some."),
    "made": N_("Made automatically by the operations centre at {made}."),
    "points": N_("points"),
    # the tables' headings
    "no": N_("No."),
    "what": N_("What"),
    "why": N_("Why"),
    "since": N_("Since"),
    "whose": N_("Whose"),
    "figure": N_("Figure"),
    "value": N_("Value"),
    "change": N_("Change"),
    "source": N_("Source"),
    "updated": N_("Updated"),
    "day": N_("Day {day}"),
    "days": N_("From {start} to {end}"),
    "subject_mail": N_("Daily operations brief, {day}"),
    "intro": N_("The daily brief of the operations centre is attached (DOCX and PDF)."),
    "unsubscribe": N_("To stop receiving it, unsubscribe on the page {href}."),
}


def say(lang: str, key: str) -> str:
    return gettext(lang, WORDS[key])


def dated(lang: str, place: str, when: date) -> str:
    """The place and date of the heading (Decree 30: "Đồng Tháp, ngày 02 tháng 12 năm 2026")."""
    if lang == "vi":
        text = written_date(place, when)
        return text if place else text.removeprefix(", ").capitalize()
    english = f"{when.day:02d} {when:%B} {when.year}"
    return f"{place}, {english}" if place else english


def subject(lang: str, first: date, last: date) -> str:
    """The line under the title: the day, or the days the brief covers."""
    if first == last:
        return say(lang, "day").format(day=day(first))
    return say(lang, "days").format(start=day(first), end=day(last))
