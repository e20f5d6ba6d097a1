"""The tasks pages through the ASGI client: the leader's page, the list and a task for every role
that reads them, an officer confined to its agency, a form's error beside its field, the status
report's downloads and the import of a template with a bad row.

One app per test module (``tests/tasks/conftest.py``): a programme of province 82 with a task
overdue, one within its deadline and a quarterly one of agency A, and one of agency B."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook, load_workbook

from ..support.http import login
from ..support.tasks import AGENCY_A, AGENCY_B, PROVINCE, past, task

CODE = "P-PAGES"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def planned(planner) -> dict[str, int]:
    """The programme's tasks by code, as their ids."""
    _, made = planner.plan(
        CODE,
        task(CODE, "1", deadline=past(20), leader="Phó Chủ tịch Nguyễn Văn A"),
        task(CODE, "2"),
        task(CODE, "3", deadline=None, recurrence="quarterly"),
        task(CODE, "4", agency=AGENCY_B),
    )
    return {t["code"]: t["id"] for t in made}


@pytest.fixture(scope="module")
def people(planner):
    """A browser-like client signed in, per role (made on first use)."""
    made = {}

    def person(role: str):
        if role not in made:
            unit = AGENCY_A if role == "officer" else None
            planner.person(f"page.{role}", role, unit=unit)
            client = planner.api.client()
            client.headers["accept"] = "text/html"
            login(client, f"t.page.{role}", "password-57")
            made[role] = client
        return made[role]

    return person


def csrf(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("role", ["admin", "leader", "operator", "officer", "viewer"])
def test_the_pages_render_for_every_role_that_reads_tasks(people, planned, role):
    client = people(role)
    national = client.get("/tasks")
    assert national.status_code == 200, national.text
    if role == "officer":  # its agency's, and its reminders' place
        assert "Sở Khoa học và Công nghệ" in national.text
        assert 'data-key="' + CODE + '"' in national.text
    else:  # the country: a line per province, each linking to the province's page
        assert national.text.count('<tr data-key="') == 34
        assert f'href="/tasks?province={PROVINCE}"' in national.text
    page = client.get("/tasks", params={"province": PROVINCE} if role != "officer" else {})
    assert page.status_code == 200
    html = page.text
    assert 'id="overdue"' in html and f'data-task="{planned["1"]}"' in html
    assert "Phó Chủ tịch Nguyễn Văn A" in html  # whose it is
    assert '<li class="st-overdue" data-status="overdue">' in html
    listed = client.get("/tasks/list", params={"status": "overdue"})
    assert listed.status_code == 200
    assert f'data-task="{planned["1"]}" data-status="overdue"' in listed.text
    assert '<span class="st st-overdue">Quá hạn</span>' in listed.text  # a label with its text
    one = client.get(f"/tasks/{planned['1']}")
    assert one.status_code == 200 and 'id="timeline"' in one.text
    reports = 'id="report-form"' in one.text
    decides = 'id="extend-form"' in one.text
    assert reports == (role in ("admin", "leader", "officer"))
    assert decides == (role in ("admin", "leader"))


def test_the_country_says_whose_province_each_overdue_task_is(people, planned):
    leader = people("leader")
    country = leader.get("/tasks").text
    row = country.split(f'<tr class="overdue" data-task="{planned["1"]}">', 1)[1]
    cell = (
        f'<td class="province" data-label="Tỉnh, thành phố"><a href="/tasks?province={PROVINCE}">'
    )
    assert cell + "Tỉnh Đồng Tháp</a>" in row.split("</tr>", 1)[0]
    assert 'class="province"' not in leader.get("/tasks", params={"province": PROVINCE}).text


def test_an_officer_reads_only_its_agencys_tasks(people, planned):
    officer = people("officer")
    html = officer.get("/tasks/list").text
    assert f'data-task="{planned["1"]}"' in html and f'data-task="{planned["4"]}"' not in html
    for path, params in (
        (f"/tasks/{planned['4']}", {}),
        ("/tasks", {"agency": AGENCY_B}),
        ("/tasks/list", {"province": "01"}),
        ("/tasks/report.xlsx", {"agency": AGENCY_B}),
    ):
        r = officer.get(path, params=params)
        assert r.status_code == 403, (path, r.status_code)
        assert "403 · Không có quyền truy cập" in r.text


def test_a_refused_report_shows_the_reason_beside_its_field(people, planned):
    officer = people("officer")
    url = f"/tasks/{planned['2']}"
    token = csrf(officer.get(url).text)
    fields = {"csrf_token": token, "percent": "100", "text": "Đã xong", "completes": "1"}
    r = officer.post(f"{url}/report", data=fields, files={"evidence": ("", b"", "")})
    assert r.status_code == 422
    assert 'id="report-evidence-error"' in r.text
    assert "Báo cáo hoàn thành nhiệm vụ phải kèm ít nhất một tệp minh chứng." in r.text
    assert 'name="text" required maxlength="10000">Đã xong</textarea>' in r.text  # kept
    del fields["completes"]
    fields["percent"] = "150"
    r = officer.post(f"{url}/report", data=fields, files={"evidence": ("", b"", "")})
    assert r.status_code == 422 and 'id="report-percent-error"' in r.text
    assert re.search(r'name="percent"[^>]*aria-invalid="true"', r.text)
    # a good one is saved, and the page says so after the redirect
    fields["percent"] = "40"
    r = officer.post(f"{url}/report", data=fields, files={"evidence": ("", b"", "")})
    assert r.status_code == 200 and 'id="flash"' in r.text and "40 %" in r.text


def test_the_status_report_downloads_as_docx_and_xlsx_within_scope(people, planned):
    leader = people("leader")
    r = leader.get("/tasks/report.docx", params={"province": PROVINCE})
    assert r.status_code == 200 and r.headers["content-type"] == DOCX
    assert r.content[:2] == b"PK" and "attachment" in r.headers["content-disposition"]
    r = leader.get("/tasks/report.xlsx", params={"province": PROVINCE, "programme": CODE})
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    load_workbook(io.BytesIO(r.content))
    assert leader.get("/tasks/report.docx").status_code == 422  # the country: no one signs it
    officer = people("officer")
    r = officer.get("/tasks/report.xlsx")  # its own agency's
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    assert officer.get("/tasks/report.docx", params={"province": PROVINCE}).status_code == 403


def test_an_imported_template_lists_its_bad_rows(people, planned):
    leader = people("leader")
    page = leader.get("/tasks/import")
    template = leader.get("/tasks/template.xlsx")
    assert template.headers["content-type"] == XLSX
    header = [c.value for c in load_workbook(io.BytesIO(template.content)).worksheets[0][1]]
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    good = {"programme": CODE, "code": "9", "content": "Nhập từ tệp", "lead_agency": AGENCY_A}
    good["deadline"] = "30/06/2030"
    sheet.append([good.get(h) for h in header])
    sheet.append([{**good, "code": "10", "lead_agency": "NO-SUCH"}.get(h) for h in header])
    body = io.BytesIO()
    book.save(body)
    r = leader.post(
        "/tasks/import",
        data={"csrf_token": csrf(page.text)},
        files={"file": ("ke-hoach.xlsx", body.getvalue(), XLSX)},
    )
    assert r.status_code == 200, r.text
    assert 'id="count-accepted">1<' in r.text and 'id="count-rejected">1<' in r.text
    row = r.text[r.text.index('<table id="rejected">') :]
    assert "<td>3</td><td>agency</td>" in row and "NO-SUCH" in row


def test_an_officer_finds_its_agencys_reminders_on_its_page(people, planned, tasks_app):
    from ioc57.core.clock import today
    from ioc57.tasks.reminders import send_reminders

    send_reminders(tasks_app.state.engine, today())
    html = people("officer").get("/tasks").text
    section = html.split('id="reminders"', 1)[1].split("</section>", 1)[0]
    assert f'data-task="{planned["1"]}"' in section  # overdue, of the officer's agency
    assert 'st-overdue">Đã quá hạn<' in section  # said in words, not by colour alone
    assert 'id="reminders"' not in people("leader").get("/tasks").text  # a leader has no agency
