"""The template's column headings as people read them (``Mã chỉ tiêu`` on a Vietnamese template,
``Indicator code`` on an English one), and their reading back: a heading in any language the app
speaks, or the column's machine name (``indicator``, the template's headings before), names the
same column."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ioc57.core.i18n import LANGUAGES, N_, gettext
from ioc57.ingest.parsing import csv_delimiter

LABELS = {
    "indicator": N_("Indicator code"),
    "name": N_("Indicator name"),
    "unit_of_measure": N_("Unit of measure"),
    "value": N_("Value"),
    "numerator": N_("Numerator"),
    "denominator": N_("Denominator"),
    "source": N_("Source"),
    "unit": N_("Unit code"),
    "period": N_("Period"),
}


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every heading a column may carry, folded, → the column's machine name."""
    out = {}
    for key, label in LABELS.items():
        out[_folded(key)] = key
        out[_folded(label)] = key
        for lang in LANGUAGES:
            out[_folded(gettext(lang, label))] = key
    return out


def heading(key: str, gettext_: Callable[[str], str]) -> str:
    """The heading of column ``key`` in the language of ``gettext_``."""
    return gettext_(LABELS[key]) if key in LABELS else key


def column(text: Any) -> Any:
    """The machine name of a heading (a heading it does not know: as it is)."""
    if not isinstance(text, str):
        return text
    return _names().get(_folded(text), text)


def csv_named(data: bytes) -> bytes:
    """A CSV file with its header line in machine names (the rest as it is); a file that is not
    UTF-8 is returned as it is, for the reader to refuse."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data
    head, newline, rest = text.partition("\n")
    line = head.rstrip("\r")
    delimiter = csv_delimiter(line)
    cells = next(csv.reader([line], delimiter=delimiter), [])
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow([column(c) for c in cells])
    return (out.getvalue() + head[len(line) :] + newline + rest).encode("utf-8")
