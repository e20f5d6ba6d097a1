"""The message catalogues: every message has a Vietnamese translation, and none is missing.

Templates and Python code mark English message ids (``_()`` in templates, ``N_()`` in code);
``make messages`` extracts them to ``messages.pot`` and updates ``vi`` and ``en``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from ioc57 import modules
from ioc57.accounts.tables import ROLES
from ioc57.core.i18n import LANGUAGES, LOCALE_DIR, translations
from ioc57.core.problems import TITLES
from ioc57.units.tables import LEVELS
from ioc57.web.app import navigation

ROOT = Path(__file__).resolve().parents[2]
NAV = navigation(modules.load())
POT = LOCALE_DIR / "messages.pot"


def catalog(path: Path, locale: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def msgids(path: Path) -> set[str]:
    return {message.id for message in catalog(path) if message.id}


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


def test_every_message_has_a_vietnamese_translation():
    vi = catalog(po_path("vi"), "vi")
    untranslated = sorted(
        msgid
        for msgid in msgids(POT)
        if vi.get(msgid) is None or not vi[msgid].string or vi[msgid].fuzzy
    )
    assert untranslated == [], "run 'make messages' and translate these in vi/messages.po"


def test_catalogues_are_up_to_date_with_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract", "-F", "babel.cfg"]
        + ["-k", "N_", "-o", str(fresh), "."],
        cwd=ROOT,
        check=True,
    )
    assert msgids(fresh) == msgids(POT), "run 'make messages' to re-extract messages.pot"
    for lang in LANGUAGES:
        assert msgids(po_path(lang)) == msgids(POT), f"run 'make messages' to update {lang}"


def test_words_that_pages_translate_from_data_are_in_the_catalogue():
    shown = {*ROLES, *LEVELS, *TITLES.values(), "Error", *(label for _, label in NAV)}
    assert shown - msgids(POT) == set()


def test_english_is_the_message_id_itself():
    en = catalog(po_path("en"), "en")
    assert [m.id for m in en if m.id and m.string not in ("", m.id)] == []


def test_translations_are_compiled_from_the_po_files():
    assert translations("vi").gettext("Intelligent Operations Center") == (
        "Trung tâm giám sát, điều hành thông minh"
    )
    assert translations("vi").gettext("Log out") == "Đăng xuất"
    assert translations("en").gettext("Log out") == "Log out"
