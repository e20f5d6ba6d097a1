"""Translations from Babel message catalogues (``locale/<lang>/LC_MESSAGES/messages.po``).

Message ids are English; Vietnamese is the default language of the pages. The ``.po`` files are
compiled in memory when first needed, so there is no build step and no binary file in the tree.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "web" / "locale"
LANGUAGES = ("vi", "en")


@cache
def translations(lang: str) -> Translations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return Translations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)
