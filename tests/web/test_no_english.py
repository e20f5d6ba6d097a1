"""No English on a Vietnamese page: every page the demo's people reach, in Vietnamese.

A real ``ioc57 serve`` on the demo data, driven by headless Chromium. As each demo role (and a
visitor who has not logged in), the test walks the app's pages from the overview: the pages its
navigation links to and the pages those link to, one page of each shape (``/units/82`` stands for
every unit). On each, no message id of the catalogue (English, found in the source as ``make
messages`` finds it) whose Vietnamese differs from it may show in the visible text: a sentence a
person reads in English on a Vietnamese page was not translated, or not marked for translation.
Ids of fewer than three words do not count ("Email", "OK"); an id with ``{field}`` or ``%(name)s``
is looked for by its longest literal part.

Then the errors that reach pages: a file imported with bad rows lists the gate's reasons (pydantic's
and the gate's own) in Vietnamese, a record type the source was not given is refused in Vietnamese,
and the 404 of an unknown unit says why in Vietnamese.

The Vietnamese catalogue is filled by the lead at the end of an issue: a message id that has no
Vietnamese yet counts as English here, as it shows on the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from playwright.sync_api import Page, expect

from ioc57.core.messages import translate
from ioc57.ingest.gate import TYPE_REFUSED
from ioc57.ingest.validation import UNIT_UNKNOWN
from ioc57.units.messages import NO_UNIT

from ..support.http import ADMIN_PASSWORD
from ..support.servers import demo_server

pytestmark = [pytest.mark.browser, pytest.mark.long]

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "src" / "ioc57" / "web" / "locale" / "vi" / "LC_MESSAGES" / "messages.po"
METHODS = [("ioc57/**.py", "python"), ("ioc57/**/templates/**.html", "jinja2")]  # of src/
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
DEMO_PASSWORD = "demo-ioc57"  # ``ioc57 demo``'s users
ROLES = [
    ("admin", ADMIN_PASSWORD),
    ("lanhdao", DEMO_PASSWORD),  # leader
    ("vanhanh", DEMO_PASSWORD),  # operator
    ("canbo.skhcn", DEMO_PASSWORD),  # an agency's officer
    ("canbo.mytho", DEMO_PASSWORD),  # a ward's officer
    ("xem", DEMO_PASSWORD),  # viewer
]
PAGES_PER_ROLE = 36
# links that are no page to read: the API, files, the language switch, leaving
NOT_PAGES = re.compile(
    r"^/(api|open311|static|lang|logout|metrics|healthz|readyz)\b"
    r"|\.(csv|xlsx|pdf|png|svg|json|ndjson|yaml|docx|ics|txt|zip)$"
    r"|/(export|download|qr)\b"
)
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdifr]|%[sdif]|\{[^}]*\}")
WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> int:
    return len(WORD.findall(text))


def _squeeze(text: str) -> str:
    return " ".join(text.split())


@cache
def english() -> dict[str, str]:
    """The literal part looked for of each message id that reads as English on a Vietnamese
    page, with its id."""
    with CATALOGUE.open("rb") as handle:
        vi = {m.id: m.string for m in read_po(handle, locale="vi") if m.id}
    ids: set[str] = set()
    for *_, message, _comments, _context in extract_from_dir(
        str(ROOT / "src"), method_map=METHODS, keywords=KEYWORDS
    ):
        ids.update(m for m in (message if isinstance(message, tuple) else (message,)) if m)
    out = {}
    for msgid in ids:
        said = vi.get(msgid)
        said = said[0] if isinstance(said, tuple) else said  # a plural: its first form
        if said == msgid or _words(msgid) < 3:
            continue
        part = max((_squeeze(p) for p in PLACEHOLDER.split(msgid)), key=len)
        if _words(part) >= 3 and part not in _squeeze(said or ""):
            out[part] = msgid
    return out


def leaks(text: str) -> list[str]:
    """The message ids whose English shows in ``text``."""
    shown = _squeeze(text)
    return sorted(msgid for part, msgid in english().items() if part in shown)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """``ioc57 serve`` on the demo data, the admin's password known."""
    with demo_server(
        tmp_path_factory.mktemp("no-english"), IOC57_ADMIN_PASSWORD=ADMIN_PASSWORD
    ) as base:
        yield base


def _tab(browser, server: str, username: str | None, password: str = "") -> Iterator[Page]:
    context = browser.new_context(
        base_url=server, viewport={"width": 1280, "height": 900}, locale="vi-VN"
    )
    context.add_cookies([{"name": "lang", "value": "vi", "url": server}])
    context.set_default_timeout(15_000)
    tab = context.new_page()
    if username:
        tab.goto("/login")
        tab.get_by_label("Tên đăng nhập").fill(username)
        tab.get_by_label("Mật khẩu").fill(password)
        tab.get_by_role("button", name="Đăng nhập").click()
        expect(tab.locator("header .who")).to_contain_text(username)
    yield tab
    context.close()


def shape(path: str) -> str:
    """The kind of page an address opens: ids and codes of units, reports, indicators, values
    are one (a code holds a digit, a capital or an underscore)."""
    parts = urlsplit(path)
    segments = [
        "*" if re.search(r"[\dA-Z_]", s) or len(s) > 24 else s for s in parts.path.split("/")
    ]
    keys = sorted({q.split("=")[0] for q in parts.query.split("&") if q})
    return "/".join(segments) + "?" + "&".join(keys)


def walk(tab: Page, start: list[str]) -> dict[str, list[str]]:
    """Open ``start`` and the pages they link to, one of each shape; the English each shows."""
    found: dict[str, list[str]] = {}
    queue, seen = list(start), {shape(p) for p in start}
    while queue and len(found) < PAGES_PER_ROLE:
        path = queue.pop(0)
        response = tab.goto(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        tab.wait_for_load_state("load")
        found[path] = leaks(tab.evaluate("document.body.innerText"))
        for href in tab.eval_on_selector_all(
            "a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
        ):
            link = href.split("#")[0]
            if link and not NOT_PAGES.search(urlsplit(link).path) and shape(link) not in seen:
                seen.add(shape(link))
                queue.append(link)
    return found


PUBLIC = ["/login", "/phan-anh", "/phan-anh/cong-khai", "/phan-anh/theo-doi"]
# pages some roles reach without a link to them (or where a link may come later): a role that may
# not open one reads its error page, in Vietnamese too
UNLINKED = [
    "/ingest/import",
    "/sources",
    "/sources/mo-phong",
    "/indicators/entry",
    "/indicators/review",
    "/tasks/import",
    "/units/82",
    "/scorecard?unit=82&year=2025",
]


@pytest.mark.parametrize("username,password", [(None, ""), *ROLES])
def test_no_english_message_shows_on_a_vietnamese_page(browser, server, username, password):
    assert len(english()) > 500  # the catalogue was read: its English is looked for
    for tab in _tab(browser, server, username, password):
        walked = walk(tab, PUBLIC if username is None else ["/", *UNLINKED])
        assert len(walked) >= (3 if username is None else 8), walked  # the walk went somewhere
        print(f"{username or 'visitor'} walked {len(walked)} pages: {' '.join(walked)}")
        english_shown = {path: ids for path, ids in walked.items() if ids}
        assert english_shown == {}, f"{username or 'visitor'} read English on: {english_shown}"


# a dossier file with two bad rows: a channel that is none (pydantic's ``literal_error``) and a
# unit that does not exist (the gate's ``ingest.unit_unknown``)
BAD_DOSSIERS = (
    "id,procedure,unit,channel,received_at,due_at,status\n"
    "HS-EN-1,1.001,82,fax,2025-07-02T08:00:00+07:00,2025-07-09T08:00:00+07:00,received\n"
    "HS-EN-2,1.001,99999,online,2025-07-02T08:00:00+07:00,2025-07-09T08:00:00+07:00,received\n"
)
CHANNEL = {"code": "literal_error", "params": {"expected": "'online', 'direct' or 'postal'"}}
UNIT = {"code": UNIT_UNKNOWN.code, "params": {"code": "99999", "day": "2025-07-02"}}


def _vietnamese(error: dict) -> str:
    said = translate("vi", error)
    assert said != translate("en", error), f"no Vietnamese yet for {error['code']}"
    return said


def _import(tab: Page, source: str, record_type: str, body: str) -> None:
    tab.goto("/ingest/import")
    tab.locator("select[name=source]").select_option(source)
    # the page offers with a source only the types it sends; a stale page or a hand-made request
    # may still send another, which the gate refuses: the options are all enabled to send one
    tab.evaluate(
        "() => document.querySelectorAll('#import-type option').forEach(o => o.disabled = false)"
    )
    tab.locator("select[name=type]").select_option(record_type)
    tab.locator("input[type=file]").set_input_files(
        {"name": "ho-so.csv", "mimeType": "text/csv", "buffer": body.encode()}
    )
    tab.locator("form[enctype='multipart/form-data'] button[type=submit]").click()


def test_the_gates_reasons_and_refusals_are_vietnamese_on_the_import_page(browser, server):
    for tab in _tab(browser, server, "admin", ADMIN_PASSWORD):
        _import(tab, "mo-phong", "dossier", BAD_DOSSIERS)
        rows = tab.locator("#rejected tbody tr")
        channel = rows.filter(has_text="HS-EN-1").filter(has_text="channel").locator("td").nth(3)
        expect(channel).to_have_text(_vietnamese(CHANNEL))
        unit = rows.filter(has_text="HS-EN-2").filter(has_text="unit").locator("td").nth(3)
        expect(unit).to_have_text(_vietnamese(UNIT))
        assert "Input should be" not in tab.locator("#rejected").inner_text()
        assert leaks(tab.evaluate("document.body.innerText")) == []

        # the articles' source was given indicator values only: a procedure file is refused
        _import(tab, "bai-bao", "procedure", "id,code,name\nTT-1,1.001,Thủ tục\n")
        refused = tab.locator("#import-refused")
        expect(refused).to_contain_text(
            _vietnamese(
                {
                    "code": TYPE_REFUSED.code,
                    "params": {"source": "bai-bao", "type": "procedure"},
                }
            )
        )
        expect(refused).not_to_contain_text("may not send")


def test_the_404_of_an_unknown_unit_says_why_in_vietnamese(browser, server):
    for tab in _tab(browser, server, None):
        response = tab.goto("/units/99999?at=2025-07-02")
        assert response is not None and response.status == 404
        unknown = {"code": NO_UNIT.code, "params": {"code": "99999", "day": "02/07/2025"}}
        expect(tab.locator("#problem-detail")).to_have_text(_vietnamese(unknown))
        assert "No unit has code" not in tab.evaluate("document.body.innerText")
