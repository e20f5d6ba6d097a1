"""Translations from Babel message catalogues (``locale/<lang>/LC_MESSAGES/messages.po``).

Message ids are English; Vietnamese is the default language of the pages. The ``.po`` files are
compiled in memory when first needed, so there is no build step and no binary file in the tree.

Strings that Python code hands to templates (panel titles, navigation labels) are marked with
``N_`` so that ``pybabel extract -k N_`` finds them; templates translate them with ``_()`` where
they are shown. ``make messages`` re-extracts ``messages.pot`` and updates the catalogues.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from ioc57.core.clock import LOCAL_TZ

LOCALE_DIR = Path(__file__).resolve().parent.parent / "web" / "locale"
LANGUAGES = ("vi", "en")


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later, where it is shown."""
    return message


# Message ids that templates translate from data (``_(user.role)``, ``_(unit.level)``,
# ``_(problem.title)``): role names, unit levels and the error titles of ``core.problems``.
VOCABULARY = (
    # roles
    N_("admin"),
    N_("leader"),
    N_("operator"),
    N_("officer"),
    N_("viewer"),
    N_("system"),
    # levels of administrative units
    N_("province"),
    N_("district"),
    N_("commune"),
    N_("agency"),
    # error titles
    N_("Bad request"),
    N_("Authentication required"),
    N_("Forbidden"),
    N_("Not found"),
    N_("Method not allowed"),
    N_("Conflict"),
    N_("Payload too large"),
    N_("Unsupported media type"),
    N_("Invalid input"),
    N_("Too many requests"),
    N_("Internal server error"),
    N_("Service unavailable"),
    N_("Error"),
)


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


def number(lang: str) -> Callable[..., str]:
    """Figures as a page in ``lang`` writes them (``46,42`` in Vietnamese, ``46.42`` in
    English), with up to ``digits`` decimals; None is ``—``."""

    def fmt(value: float | None, digits: int = 2) -> str:
        if value is None:
            return "—"
        return format_decimal(value, format="#,##0." + "#" * digits, locale=lang)

    return fmt


def day(value: date) -> str:
    """A day as every page writes it: ``dd/mm/yyyy``."""
    return value.strftime("%d/%m/%Y")


def moment(value: str | None) -> str:
    """A time the API gives (ISO with its offset) as a person reads it: ``dd/mm/yyyy HH:MM`` in
    Việt Nam's time; None is ``—``."""
    if value is None:
        return "—"
    return datetime.fromisoformat(value).astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")
