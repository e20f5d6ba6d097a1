"""The operator's pages through the ASGI client: the work list on the fixture of
``test_worklist.py`` (seen on Wednesday 15 October 2025), one dossier, and the procedure
catalogue on the fixture of ``test_catalogue.py``."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from ioc57.ingest.tables import records

from ..ingest.records import procedure
from ..support.http import login
from ..support.services import AGENCY
from . import test_catalogue, test_worklist
from .test_pages import row, signed_in


@pytest.fixture
def listed(dvc, engine, at_now):
    """The fixture's dossiers sent through the gate: their record keys, by dossier id."""
    dvc.push("procedure", [procedure(1, id="1.001", name="Đăng ký khai sinh", level="commune")])
    dvc.push("dossier", test_worklist.DOSSIERS)
    with engine.connect() as conn:
        query = select(records.c.record_id, records.c.id).where(records.c.type == "dossier")
        return {r.record_id: r.id for r in conn.execute(query)}


def record_ids(html: str) -> list[str]:
    return re.findall(r'<tr data-record="([^"]+)"', html)


def test_a_leader_reads_the_work_list_most_urgent_first_with_counts_per_state(api, listed):
    leader = signed_in(api, "lanhdao", "leader")
    r = leader.get("/services/dossiers", params={"unit": "82"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert record_ids(html) == [f"HS-{n}" for n in (1, 2, 4, 3, 5, 6, 7, 8)]
    tabs = html[html.index('class="chips tabs"') : html.index("</nav>", html.index("chips tabs"))]
    counts = dict(re.findall(r'data-state="(\w+)"[^>]*>[^<]*<b class="count">(\d+)<', tabs))
    assert counts == {
        "overdue": "2",
        "due_soon": "3",
        "supplement": "1",
        "suspended": "1",
        "processing": "2",
        "received": "4",
        "open": "8",
    }
    assert 'data-state="open" aria-current="page"' in tabs
    assert ">Quá hạn <" in tabs and ">Mới tiếp nhận <" in tabs
    first = row(html, 'data-record="HS-1"')
    assert f'href="/services/dossiers/{listed["HS-1"]}"' in first
    assert "Đăng ký khai sinh" in first
    assert "01/10/2025 08:00" in first and "14/10/2025 17:00" in first
    assert '<td class="n late">-1 ' in first  # a working day overdue, highlighted
    assert 'class="overdue"' in first and "0</td>" in first  # late already: no points at stake
    # HS-4 is due Monday 13 October, suspended 3 working days: due Thursday 16 October
    assert "16/10/2025 16:00" in row(html, 'data-record="HS-4"')
    assert "Tạm dừng" in row(html, 'data-record="HS-4"')
    department = row(html, 'data-record="HS-7"')
    assert "Sở Tư pháp" in department
    # the header explains the points at stake; the links back to the panel and the catalogue
    assert 'title="điểm Chỉ số 766 của đơn vị mất đi nếu hồ sơ này trễ hạn"' in html
    assert 'href="/services?unit=82"' in html and 'href="/services/procedures?unit=82"' in html
    # the picker offers the province and the units under it
    assert html.count('<option value="82" selected>') == 1 and '<option value="28249">' in html
    assert '<option value="STP-82">' in html


def test_a_tab_and_a_procedure_narrow_the_list(api, listed):
    leader = signed_in(api, "lanhdao", "leader")
    html = leader.get("/services/dossiers", params={"unit": "82", "state": "overdue"}).text
    assert record_ids(html) == ["HS-1", "HS-2"]
    assert 'data-state="overdue" aria-current="page"' in html
    html = leader.get("/services/dossiers", params={"unit": "82", "procedure": "9.999"}).text
    assert record_ids(html) == [] and "Không có hồ sơ đang mở ở trạng thái này." in html
    assert '<b class="count">0</b>' in html


def test_an_officer_of_a_commune_sees_its_own_dossiers_only(api, listed):
    officer = signed_in(api, "canbo.xa", "officer", unit="28261")
    r = officer.get("/services/dossiers")  # its own unit by default
    assert r.status_code == 200
    assert record_ids(r.text) == [f"HS-{n}" for n in (1, 2, 4, 3, 5, 6)]
    assert '<option value="28249">' not in r.text and '<option value="82"' not in r.text
    assert officer.get(f"/services/dossiers/{listed['HS-1']}").status_code == 200
    for path, params, status in (
        ("/services/dossiers", {"unit": "28249"}, 403),
        ("/services/dossiers", {"unit": "82"}, 403),
        ("/services/procedures", {"unit": "82"}, 403),
        (f"/services/dossiers/{listed['HS-8']}", {}, 404),  # another commune's
        (f"/services/dossiers/{listed['HS-7']}", {}, 404),  # the province's department's
        ("/services/dossiers/999999", {}, 404),  # none: the same answer
    ):
        r = officer.get(path, params=params)
        assert r.status_code == status, (path, params)
        assert r.headers["content-type"].startswith("text/html")
        if status == 404:
            assert "404 · " in r.text and "HS-" not in r.text


def test_a_dossier_page_shows_its_fields_in_vietnamese(api, listed):
    leader = signed_in(api, "lanhdao", "leader")
    r = leader.get(f"/services/dossiers/{listed['HS-4']}")
    assert r.status_code == 200
    html = r.text
    assert "<h1>Hồ sơ HS-4</h1>" in html
    assert '<dd id="status"><b>Tạm dừng</b></dd>' in html
    assert '<dd id="suspended">3</dd>' in html and '<dd id="supplements">0</dd>' in html
    assert "<dd>13/10/2025 16:00</dd>" in html  # the promised time
    assert '<dd id="effective-due">16/10/2025 16:00</dd>' in html  # moved by 3 working days
    assert '<dd id="days-left">1</dd>' in html and "Sắp đến hạn" in html
    assert '<dd id="channel">Trực tuyến</dd>' in html
    assert (
        '<div data-flag="synced_national"><dt>Đồng bộ Cổng Dịch vụ công quốc gia</dt><dd>Có' in html
    )
    assert '<div data-flag="complaint"><dt>Có phản ánh, kiến nghị</dt><dd>Không' in html
    # its procedure in the catalogue, its unit's panel, back to the work list
    assert 'href="/services/procedures?unit=28261&q=1.001">Đăng ký khai sinh</a>' in html
    assert 'href="/services?unit=28261">' in html
    assert 'href="/services/dossiers?unit=28261">' in html
    overdue = leader.get(f"/services/dossiers/{listed['HS-1']}").text
    assert '<dd id="days-left" class="late">-1</dd>' in overdue
    assert '<b class="late">Quá hạn</b>' in overdue
    department = leader.get(f"/services/dossiers/{listed['HS-7']}").text
    assert f'href="/services?unit={AGENCY}">Sở Tư pháp</a>' in department


def test_a_finished_dossier_says_whether_it_was_on_time(api, listed):
    leader = signed_in(api, "lanhdao", "leader")
    html = leader.get(f"/services/dossiers/{listed['HS-9']}").text
    assert '<dd id="status"><b>Đã giải quyết</b></dd>' in html
    assert "Giải quyết đúng hạn" in html  # finished on 9 October, due on the 10th
    assert "<dd>09/10/2025 10:00</dd>" in html and 'id="days-left"' not in html
    cancelled = leader.get(f"/services/dossiers/{listed['HS-10']}").text
    assert '<dd id="status"><b>Đã hủy</b></dd>' in cancelled


@pytest.fixture
def catalogued(dvc, api):
    dvc.push("procedure", test_catalogue.PROCEDURES)
    dvc.push("dossier", test_catalogue.DOSSIERS)
    return signed_in(api, "lanhdao", "leader")


def test_the_catalogue_page_shows_each_procedures_counts(catalogued):
    r = catalogued.get("/services/procedures", params={"unit": "82", "period": "2025"})
    assert r.status_code == 200
    html = r.text
    assert re.findall(r'data-procedure="([^"]+)"', html) == ["1.001", "1.010", "2.002"]
    assert '<p id="found">3 thủ tục</p>' in html
    birth = row(html, 'data-procedure="1.001"')
    assert 'href="/services/dossiers?unit=82&amp;procedure=1.001">' in birth
    assert "Đăng ký khai sinh (liên thông)" in birth and "Toàn trình" in birth
    # five received, four online (80 %); four finished, 75 % on time, 3.25 working days
    assert '"n received">5<' in birth and '"n online">80 %<' in birth
    assert '"n finished">4<' in birth and '"n on-time">75 %<' in birth
    assert '"n days">3,25<' in birth
    none = row(html, 'data-procedure="2.002"')
    assert '"n online">—<' in none and '"n on-time">—<' in none and '"n days">—<' in none
    justice = row(html, 'data-procedure="1.010"')
    assert "Sở Tư pháp" in justice and '"n on-time">100 %<' in justice
    assert 'href="/services?unit=82"' in html and 'href="/services/dossiers?unit=82"' in html


def test_the_catalogue_filters(catalogued):
    r = catalogued.get(
        "/services/procedures", params={"unit": "82", "fee": "true", "online": "", "q": ""}
    )
    assert re.findall(r'data-procedure="([^"]+)"', r.text) == ["1.010", "2.002"]
    r = catalogued.get(
        "/services/procedures", params={"unit": "28261", "q": "khai sinh", "period": "2025"}
    )
    assert re.findall(r'data-procedure="([^"]+)"', r.text) == ["1.001"]
    birth = row(r.text, 'data-procedure="1.001"')
    assert '"n received">4<' in birth  # four received at the commune this year


def test_the_766_panel_links_to_the_work_list_and_the_catalogue(catalogued):
    html = catalogued.get("/services", params={"unit": "28261"}).text
    assert 'href="/services/dossiers?unit=28261"' in html
    assert 'href="/services/procedures?unit=28261">Danh mục thủ tục</a>' in html


@pytest.mark.parametrize(
    "path, params",
    [
        ("/services/dossiers", {"unit": "82", "state": "late"}),
        ("/services/dossiers", {"unit": "82", "page": "0"}),
        ("/services/dossiers", {"unit": "82", "page": "x"}),
        ("/services/dossiers", {"unit": "82", "page": str(10**12)}),
        ("/services/dossiers", {"unit": "nowhere"}),
        ("/services/dossiers", {"unit": "82", "procedure": "p" * 50}),
        ("/services/dossiers/0", {}),
        ("/services/dossiers/abc", {}),
        ("/services/dossiers/" + "9" * 30, {}),
        ("/services/procedures", {"unit": "82", "online": "half"}),
        ("/services/procedures", {"unit": "82", "fee": "maybe"}),
        ("/services/procedures", {"unit": "82", "period": "2025Q5"}),
        ("/services/procedures", {"unit": "82", "q": "q" * 200}),
        ("/services/procedures", {"unit": "nowhere"}),
    ],
)
def test_bad_input_gets_a_4xx_page(api, path, params):
    admin = api.client()
    admin.headers["accept"] = "text/html"
    login(admin, "admin", "admin-password-57")
    r = admin.get(path, params=params)
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"].startswith("text/html")


def test_the_pages_need_a_login(client):
    for path in ("/services/dossiers", "/services/dossiers/1", "/services/procedures"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
