"""Evidence is told by its bytes: the five kinds a report takes, whatever their names, and nothing
else (a renamed program, an Office file with macros, a ZIP of something else, a broken ZIP); each
file is hashed as it is checked, and a refusal names ``evidence`` and the file's place."""

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
    sent = [
        kept(tmp_path, "bao\x00cao.PDF", files.pdf()),
        kept(tmp_path, "ke-hoach.exe", files.xlsx()),
    ]
    checked = evidence.check(sent)
    assert [(f.filename, f.content_type) for f in checked] == [
        ("baocao.PDF", evidence.PDF),
        ("ke-hoach.exe", evidence.XLSX),  # the name says nothing: the bytes are a workbook
    ]
    assert checked[1].sha256 == hashlib.sha256(files.xlsx()).hexdigest()
    assert checked[1].size == len(files.xlsx())
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
