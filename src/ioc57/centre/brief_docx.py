"""The daily brief as a DOCX in the administrative layout (Decree 30/2020/NĐ-CP), drawn by
``core.officedoc`` as the tasks' status report is: the header with the motto, the title, then the
three sections (tables for what needs attention and the key figures), and the time it was made."""

from __future__ import annotations

from typing import Any

from ioc57.centre import brief_words as w
from ioc57.centre.brief import Brief, Line
from ioc57.core import officedoc as od

ATTENTION_CM = (1.0, 5.2, 5.3, 2.5, 2.5)  # No., what, why, since, whose (16.5 cm)
FIGURES_CM = (4.3, 2.8, 2.2, 4.7, 2.5)  # figure, value, change, source, updated


def docx_bytes(brief: Brief) -> bytes:
    doc = od.new()
    od.header(doc, brief.issuer, brief.dated, motto=w.MOTTO[brief.lang])
    od.title(doc, brief.title, brief.subject)
    if brief.simulated:
        od.para(doc, f"({brief.say('simulated_note')})", italic=True, align="center", after=6)
    for note in brief.notes:
        od.para(doc, note, italic=True, align="justify", after=6, size=od.TABLE_PT)
    _attention(doc, brief)
    _figures(doc, brief)
    _changes(doc, brief)
    made = brief.say("made").format(made=brief.made)
    od.para(doc, made, italic=True, align="left", before=12, size=od.TABLE_PT)
    return od.saved(doc)


def marks(brief: Brief, line: Line) -> str:
    """What follows a concern's kind: (new), (simulated data)."""
    words = [brief.say("new")] if line.new else []
    if line.simulated:
        words.append(brief.say("simulated"))
    return f" ({', '.join(words)})" if words else ""


def _attention(doc: Any, brief: Brief) -> None:
    od.heading(doc, brief.say("attention"))
    if not brief.attention:
        od.text(doc, brief.say("nothing"))
        return
    headings = [brief.say(k) for k in ("no", "what", "why", "since", "whose")]
    table = od.table(doc, headings, ATTENTION_CM)
    columns = od.columns(doc, ATTENTION_CM, left=(1, 2, 4))
    for n, line in enumerate(brief.attention, 1):
        what = f"{line.kind}{marks(brief, line)}\n{line.title}"
        od.row(table, [n, what, line.why, line.since, line.owner], columns)
    if brief.more:
        od.text(doc, brief.say("more").format(count=brief.more))


def _figures(doc: Any, brief: Brief) -> None:
    od.heading(doc, brief.say("figures"))
    if not brief.figures:
        od.text(doc, brief.say("no_figures"))
        return
    headings = [brief.say(k) for k in ("figure", "value", "change", "source", "updated")]
    table = od.table(doc, headings, FIGURES_CM)
    columns = od.columns(doc, FIGURES_CM, left=(0, 3))
    for f in brief.figures:
        title = f"{f.title}\n({f.caption})" if f.caption else f.title
        source = f"{f.source} ({brief.say('simulated')})" if f.simulated else f.source
        od.row(table, [title, f.value, f.change or "—", source, f.updated], columns)


def _changes(doc: Any, brief: Brief) -> None:
    od.heading(doc, brief.say("changes"))
    if not brief.changes:
        od.text(doc, brief.say("no_changes"))
        return
    for kind, lines in brief.changes:
        od.text(doc, f"- {kind} ({len(lines)}):")
        for line in lines:
            simulated = f" ({brief.say('simulated')})" if line.simulated else ""
            od.text(doc, f"+ {line.title}: {line.why} ({line.since}){simulated}")
