"""The template's headings are the page's language (Vietnamese by default, English on an English
page), and a filled template reads back under either language's headings or the machine names
the templates carried before."""

from __future__ import annotations

import csv
import io

import pytest

from ioc57.core.i18n import translations
from ioc57.indicators.headings import LABELS, column, csv_named
from ioc57.indicators.template import COLUMNS

from .test_template import CITED, download, figure, person, stored, upload


def _csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@pytest.mark.parametrize("lang", ["vi", "en", "machine"])
def test_a_csv_with_headings_in_either_language_or_machine_names_reads_back(client, api, lang):
    browser, csrf, token = person(api, "lanhdao", "leader")
    if lang == "machine":
        header = list(COLUMNS)
    else:
        if lang == "en":
            browser.get("/lang/en", params={"next": "/"})
        said = translations(lang).gettext
        lines = list(csv.reader(io.StringIO(download(browser, "csv", "82", "2025").text)))
        header = lines[0]
        assert header[0].lstrip("\ufeff") == said(LABELS["indicator"])
        assert header[0].lstrip("\ufeff") != "indicator"
    header = [h.lstrip("\ufeff") for h in header]
    row = {"indicator": "patent_applications", "value": "12", "source": CITED}
    row |= {"unit": "82", "period": "2025"}
    body = _csv(header, [[row.get(column(h), "") for h in header]])
    r = upload(browser, csrf, f"mau-{lang}.csv", body, "text/csv")
    assert r.status_code == 200, r.text
    assert figure(r.text, "accepted") == 1
    assert stored(client, token)["patent_applications"]["value"] == 12


def test_only_the_header_line_is_renamed():
    body = "Mã chỉ tiêu;Value;source\r\nindicator;1,5;Value\r\n".encode()
    named = csv_named(("\ufeff" + body.decode()).encode()).decode()
    head, rest = named.split("\r\n", 1)
    assert head.split(";")[1:] == ["value", "source"]
    assert rest == "indicator;1,5;Value\r\n"
