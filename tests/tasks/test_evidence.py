"""Evidence is told by its bytes: the five kinds a report takes, whatever their names, and nothing
else (a renamed program, an Office file with macros, a ZIP of something else, a broken ZIP); each
file is hashed as it is checked, and a refusal names ``evidence`` and the file's place. Over the
API: a file refused stores nothing of its report, files are capped in size and number, and a
file is downloaded as it was sent, with its type, only by those whose scope holds the task."""

from __future__ import annotations

import hashlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ioc57.core.problems import Problem
from ioc57.core.uploads import Kept
from ioc57.tasks import evidence

from ..support import evidence as files
from ..support.tasks import AGENCY_B, task

TAKEN = [
    (files.pdf(), evidence.PDF),
    (files.png(), evidence.PNG),
    (files.jpeg(), evidence.JPEG),
    (files.docx(), evidence.DOCX),
    (files.xlsx(), evidence.XLSX),
]
REFUSED = [
    files.exe(),
    files.docm(),
    files.package("[Content_Types].xml", "ppt/presentation.xml"),  # a slide deck
    files.package("word/document.xml"),  # no content types: no Office package
    b"PK\x03\x04" + bytes(40),  # a ZIP's header and nothing of a directory
    b"<html><script>alert(1)</script></html>",
    b"",
]


@pytest.mark.parametrize(("content", "kind"), TAKEN)
def test_the_five_kinds_are_told_by_their_bytes(content, kind):
    assert evidence.sniff(io.BytesIO(content)) == kind


@pytest.mark.parametrize("content", REFUSED)
def test_anything_else_is_refused(content):
    assert evidence.sniff(io.BytesIO(content)) is None


@settings(max_examples=40, deadline=None)
@given(tail=st.binary(max_size=200))
def test_no_bytes_after_a_zip_header_break_the_sniffing(tail):
    assert evidence.sniff(io.BytesIO(b"PK\x03\x04" + tail)) in (None, *evidence.TYPES)


def kept(tmp_path, name: str, content: bytes) -> Kept:
    path = tmp_path / f"{len(list(tmp_path.iterdir()))}.bin"
    path.write_bytes(content)
    return Kept(name, path, len(content))


def test_files_checked_with_their_hash_and_a_clean_name(tmp_path):
    workbook = files.xlsx()
    sent = [kept(tmp_path, "bao\x00cao.PDF", files.pdf()), kept(tmp_path, "ke-hoach.exe", workbook)]
    checked = evidence.check(sent)
    assert [(f.filename, f.content_type) for f in checked] == [
        ("baocao.PDF", evidence.PDF),
        ("ke-hoach.exe", evidence.XLSX),  # the name says nothing: the bytes are a workbook
    ]
    assert checked[1].sha256 == hashlib.sha256(workbook).hexdigest()
    assert checked[1].size == len(workbook)
    long = evidence.clean_name("á" * 300 + ".docx")
    assert len(long) == 255 and long.endswith(".docx")


def test_a_refusal_names_the_field_and_the_file(tmp_path):
    sent = [kept(tmp_path, "a.pdf", files.pdf()), kept(tmp_path, "b.pdf", files.exe())]
    with pytest.raises(Problem) as refused:
        evidence.check(sent)
    assert refused.value.status == 422
    assert refused.value.errors[0]["loc"] == ["evidence", 1] and "b.pdf" in refused.value.detail
    six = [kept(tmp_path, f"{n}.pdf", files.pdf()) for n in range(6)]
    with pytest.raises(Problem) as too_many:
        evidence.check(six)
    assert too_many.value.errors[0]["loc"] == ["evidence"]
    with pytest.raises(Problem) as full:
        evidence.room(4, 2)  # a report with 4 files takes 1 more
    assert "1 more" in full.value.detail
    evidence.room(4, 1)


def test_a_file_over_the_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(evidence, "MAX_BYTES", 100)
    at_the_cap = files.pdf().ljust(100, b" ")
    assert evidence.check([kept(tmp_path, "a.pdf", at_the_cap)])[0].size == 100
    with pytest.raises(Problem) as refused:
        evidence.check([kept(tmp_path, "b.pdf", at_the_cap + b" ")])
    assert refused.value.status == 413 and refused.value.errors[0]["loc"] == ["evidence"]


def test_a_docx_is_taken_hashed_and_downloaded_within_scope_only(planner):
    _, (ours, theirs) = planner.plan(
        "P-EVIDENCE", task("P-EVIDENCE", "1"), task("P-EVIDENCE", "2", AGENCY_B)
    )
    docx = files.docx()
    sent = [("Báo cáo tổng kết.docx", docx), ("anh-hien-truong.jpg", files.png())]
    report = planner.report(ours["id"], files=sent, text="Kết quả", percent=60, expect=201).json()
    first, second = report["evidence"]
    assert (first["content_type"], second["content_type"]) == (evidence.DOCX, evidence.PNG)
    assert first["sha256"] == hashlib.sha256(docx).hexdigest() and first["size"] == len(docx)
    r = planner.client.get(first["href"], headers=planner.headers("officer"))
    assert r.status_code == 200 and r.content == docx
    assert r.headers["content-type"] == evidence.DOCX
    assert r.headers["x-content-type-options"] == "nosniff"
    disposition = (
        "attachment; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20t%E1%BB%95ng%20k%E1%BA%BFt.docx"
    )
    assert r.headers["content-disposition"] == disposition
    assert planner.client.get(second["href"], headers=planner.headers("leader")).status_code == 200
    # another agency's file: the leader reports on its task; the officer may not download it
    [other] = planner.report(
        theirs["id"], "leader", files=[("so-lieu.xlsx", files.xlsx())], text="x", percent=5
    ).json()["evidence"]
    assert planner.client.get(other["href"], headers=planner.headers("officer")).status_code == 403
    assert planner.client.get(other["href"], headers=planner.headers("admin")).status_code == 200
    elsewhere = f"/api/v1/tasks/{theirs['id']}/evidence/{first['id']}"
    assert planner.client.get(elsewhere, headers=planner.headers("leader")).status_code == 404
    listed = planner.get(f"tasks/{ours['id']}/reports", "officer").json()["items"]
    assert listed[0]["evidence"] == [first, second]


def test_a_refused_file_stores_nothing_of_its_report(planner, monkeypatch):
    _, (planned,) = planner.plan("P-REFUSED", task("P-REFUSED", "1"))
    body = {"text": "Hoàn thành", "completes": True}
    renamed = [("bao-cao.pdf", files.pdf()), ("quyet-dinh.pdf", files.exe())]
    refused = planner.report(planned["id"], files=renamed, expect=422, **body).json()
    assert refused["errors"][0]["loc"] == ["evidence", 1]
    six = [(f"{n}.pdf", files.pdf()) for n in range(evidence.MAX_FILES + 1)]
    too_many = planner.report(planned["id"], files=six, expect=422, **body).json()
    assert too_many["errors"][0]["loc"] == ["evidence"]
    assert (evidence.MAX_BYTES, evidence.MAX_FILES) == (20 * 1024 * 1024, 5)
    monkeypatch.setattr(evidence, "MAX_BYTES", 1000)  # the cap, made small to be passed fast
    over = [("ban-ve.pdf", files.pdf().ljust(1001, b" "))]
    too_large = planner.report(planned["id"], files=over, expect=413, **body).json()
    assert too_large["errors"][0]["loc"] == ["evidence"]
    assert planner.get(f"tasks/{planned['id']}/reports").json()["total"] == 0
    assert planner.get(f"tasks/{planned['id']}").json()["completed_on"] is None


def test_evidence_is_added_to_ones_own_report_up_to_five(planner):
    _, (planned,) = planner.plan("P-ADD", task("P-ADD", "1"))
    report = planner.report(planned["id"], text="Đang làm", percent=20, expect=201).json()
    url = f"/api/v1/tasks/{planned['id']}/reports/{report['id']}/evidence"

    def add(who: str, *sent: tuple[str, bytes]):
        upload = [("evidence", (name, content, "application/pdf")) for name, content in sent]
        return planner.client.post(url, files=upload, headers=planner.headers(who))

    assert add("leader", ("a.pdf", files.pdf())).status_code == 403  # not the leader's report
    added = add("officer", ("a.pdf", files.pdf()), ("b.xlsx", files.xlsx()))
    assert added.status_code == 201, added.text
    assert [e["content_type"] for e in added.json()["evidence"]] == [evidence.PDF, evidence.XLSX]
    four = [(f"{n}.pdf", files.pdf()) for n in range(4)]
    full = add("officer", *four)
    assert full.status_code == 422 and full.json()["errors"][0]["loc"] == ["evidence"]
    steps = planner.get(f"tasks/{planned['id']}").json()["timeline"]
    assert [s["kind"] for s in steps] == ["planned", "reported", "evidence_added"]
