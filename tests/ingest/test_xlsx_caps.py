"""An XLSX "bomb" — a small upload that expands to millions of shared strings, or to one long
string that every cell repeats — is refused at once, naming the cap it exceeds, by the import
page, the officers' entry page and ``ioc57 import`` alike, while the process stays within a
memory limit (it grew past 1.3 GB, then 9 GB, before the reader had caps). Each cap of the
reader is also exceeded on its own, and nothing of a refused file is stored."""

from __future__ import annotations

import resource
import subprocess
import time
import zipfile

import httpx
import pytest
from sqlalchemy import func, select

from ioc57.core.access import LOCAL_ADMIN
from ioc57.ingest import workbook
from ioc57.ingest.fileimport import ImportFailed, import_file
from ioc57.ingest.tables import batches, raw_payloads, records

from ..support.http import ADMIN_PASSWORD, auth, login
from ..support.servers import ioc57_command, ioc57_env, running_server
from .test_file_import import SOURCE, add_source, write_xlsx
from .xlsxbomb import column, header_row, long_string_bomb, shared_strings_bomb, write_workbook

MEMORY_LIMIT = 1536 * 1024 * 1024  # address space of the child process that reads the bomb
REFUSED_WITHIN = 60  # seconds: a refusal comes at once; the unbounded reader ran for minutes
HEADER = ("id", "procedure", "unit", "channel", "received_at", "due_at", "status")


def limited() -> None:
    """In the child: at most ``MEMORY_LIMIT`` of address space."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    return {
        # 20 million shared strings in 875 KB: tens of bytes each in memory
        "shared": shared_strings_bomb(folder / "phan-anh.xlsx", 20_000_000, HEADER),
        # 20,000 rows of ten cells that each repeat one string of 32,000 characters
        "long": long_string_bomb(folder / "ho-so.xlsx", 20_000, 10, header=HEADER),
    }


def stored(engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (batches, records, raw_payloads)
        )


def child_env(db_url: str) -> dict[str, str]:
    env = ioc57_env()
    # one malloc arena per thread would reserve address space the limit counts
    return env | {"IOC57_DATABASE_URL": db_url, "MALLOC_ARENA_MAX": "2"}


def test_the_bombs_are_small_files(bombs):
    assert bombs["shared"].stat().st_size < 1024 * 1024
    assert bombs["long"].stat().st_size < 1024 * 1024


# -- through the pages of a server limited to 1.5 GB -------------------------------------------


@pytest.fixture
def limited_server(client, api, db_url, tmp_path):
    r = client.post(
        "/api/v1/sources",
        json={"name": "bom-82", "types": ["dossier", "feedback"], "units": ["82"]},
        headers=auth(api.token("admin")),
    )
    assert r.status_code == 201, r.text
    api.user("canbo.tinh", "officer", unit="82")
    with running_server(child_env(db_url), tmp_path / "serve.log", preexec_fn=limited) as base:
        yield base


def post(base: str, username: str, password: str, path: str, fields: dict, path_file):
    with httpx.Client(base_url=base, timeout=REFUSED_WITHIN * 2) as browser:
        csrf = login(browser, username, password)
        start = time.monotonic()
        r = browser.post(
            path,
            data={"csrf_token": csrf} | fields,
            files={"file": (path_file.name, path_file.read_bytes(), "application/octet-stream")},
            headers={"Accept": "text/html", "Accept-Language": "vi"},
        )
        return r, time.monotonic() - start


def test_the_import_page_refuses_the_bombs_at_once_within_the_memory_limit(
    limited_server, bombs, engine
):
    before = stored(engine)
    fields = {"source": "bom-82", "type": "dossier"}
    r, seconds = post(
        limited_server, "admin", ADMIN_PASSWORD, "/ingest/import", fields, bombs["shared"]
    )
    assert r.status_code == 422, r.text[-2000:]
    assert seconds < REFUSED_WITHIN
    assert "the XLSX workbook is refused" in r.text
    assert "xl/sharedStrings.xml) is compressed more than 200 to 1" in r.text
    r, seconds = post(
        limited_server, "admin", ADMIN_PASSWORD, "/ingest/import", fields, bombs["long"]
    )
    assert r.status_code == 422 and seconds < REFUSED_WITHIN, r.text[-2000:]
    assert "Row 2 holds more than 65,536 characters" in r.text
    assert httpx.get(f"{limited_server}/healthz").status_code == 200
    assert stored(engine) == before  # not even a batch


def test_the_entry_page_refuses_the_bombs_at_once_within_the_memory_limit(
    limited_server, bombs, engine
):
    before = stored(engine)
    for bomb, words in (
        ("shared", "(xl/sharedStrings.xml) được nén hơn 200 lần"),
        ("long", "Dòng 2 chứa hơn 65,536 ký tự"),
    ):
        r, seconds = post(
            limited_server, "canbo.tinh", "password-57", "/indicators/entry", {}, bombs[bomb]
        )
        assert r.status_code == 400, r.text[-2000:]
        assert seconds < REFUSED_WITHIN
        assert 'id="upload-error"' in r.text and words in r.text
    assert httpx.get(f"{limited_server}/healthz").status_code == 200
    assert stored(engine) == before


# -- through ioc57 import, limited to 1.5 GB ----------------------------------------------------


def test_ioc57_import_refuses_the_bombs_at_once_within_the_memory_limit(engine, db_url, bombs):
    add_source(engine)
    for bomb, words in (
        ("shared", "is compressed more than 200 to 1"),
        ("long", "Row 2 holds more than 65,536 characters"),
    ):
        start = time.monotonic()
        run = subprocess.run(
            ioc57_command("import", str(bombs[bomb]), "--type", "dossier", "--source", SOURCE),
            env=child_env(db_url),
            preexec_fn=limited,
            capture_output=True,
            text=True,
            timeout=REFUSED_WITHIN * 3,
        )
        assert time.monotonic() - start < REFUSED_WITHIN
        assert run.returncode == 2, run.stdout + run.stderr[-3000:]
        assert "error: the XLSX workbook is refused" in run.stderr and words in run.stderr
    assert stored(engine) == (0, 0, 0)


# -- each cap on its own -------------------------------------------------------------------------


@pytest.fixture
def gate_db(engine):
    add_source(engine)
    return engine


def refused(engine, path, match: str) -> None:
    with pytest.raises(ImportFailed, match=match):
        import_file(engine, path, source=SOURCE, type_name="dossier", principal=LOCAL_ADMIN)
    assert stored(engine) == (0, 0, 0)


def rows_of(cells: list[list[str]], start: int = 2) -> list[bytes]:
    """Sheet rows of inline strings."""
    out = []
    for r, values in enumerate(cells, start=start):
        xml = "".join(
            f'<c r="{column(n)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
            for n, v in enumerate(values, start=1)
        )
        out.append(f'<row r="{r}">{xml}</row>'.encode())
    return out


def test_too_many_shared_strings_or_characters_are_refused(gate_db, tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "XLSX_MAX_SHARED_STRINGS", 1_000)
    path = tmp_path / "many.xlsx"
    write_workbook(
        path,
        [header_row(HEADER)],
        (f"<si><t>{n}</t></si>".encode() for n in range(1_001)),
    )
    refused(gate_db, path, r"more than 1,000 distinct texts \(shared strings\)")
    monkeypatch.setattr(workbook, "XLSX_MAX_SHARED_STRINGS", 2_000)
    monkeypatch.setattr(workbook, "XLSX_MAX_SHARED_STRING_CHARS", 2_000)
    refused(gate_db, path, r"hold more than 2,000 characters in all")


def test_a_cell_longer_than_excel_allows_is_refused(gate_db, tmp_path):
    shared = tmp_path / "shared.xlsx"
    write_workbook(shared, [header_row(HEADER)], [f"<si><t>{'x' * 32_768}</t></si>".encode()])
    refused(gate_db, shared, "A cell holds more than 32,767 characters")
    inline = tmp_path / "inline.xlsx"
    write_workbook(inline, [header_row(HEADER), *rows_of([["y" * 32_768]])])
    refused(
        gate_db, inline, r"A cell holds more than 32,767 characters, the limit of Excel \(row 2\)"
    )


def test_rows_too_wide_too_long_or_too_many_are_refused(gate_db, tmp_path, monkeypatch):
    wide = tmp_path / "wide.xlsx"
    write_workbook(wide, [header_row(HEADER), *rows_of([["1"] * 257])])
    refused(gate_db, wide, "Row 2 has more than 256 cells with a value")
    far = tmp_path / "far.xlsx"
    write_workbook(far, [header_row(HEADER), b'<row r="2"><c r="XFE2"><v>1</v></c></row>'])
    refused(gate_db, far, "Row 2 has a cell beyond column 16,384")
    long = tmp_path / "long.xlsx"
    write_workbook(long, [header_row(HEADER), *rows_of([["z" * 30_000] * 3])])
    refused(gate_db, long, "Row 2 holds more than 65,536 characters")
    deep = tmp_path / "deep.xlsx"
    write_workbook(deep, [header_row(HEADER), b'<row r="1048577"><c><v>1</v></c></row>'])
    refused(gate_db, deep, "The sheet has more than 1,048,576 rows")
    monkeypatch.setattr(workbook, "XLSX_MAX_ROWS", 10)
    many = tmp_path / "many.xlsx"
    write_workbook(many, [header_row(HEADER), *rows_of([["a"]] * 10)])
    refused(gate_db, many, "The sheet has more than 10 rows")


def test_a_text_repeated_by_many_cells_is_refused(gate_db, tmp_path):
    """Two cells a row, each a shared string of 32,000 characters: every row is within the caps
    of a row, but 20,000 of them would give 1.3 billion characters from a small file."""
    path = long_string_bomb(tmp_path / "lap.xlsx", 20_000, 2, header=HEADER)
    assert path.stat().st_size < 200_000
    refused(gate_db, path, "hold more than [0-9,]+ characters in all, more than 50 times the size")


def test_a_zip_of_too_many_parts_or_too_large_a_part_is_refused(gate_db, tmp_path, monkeypatch):
    path = tmp_path / "parts.xlsx"
    write_workbook(path, [header_row(HEADER), *rows_of([["a"]])])
    with zipfile.ZipFile(path, "a") as book:
        for n in range(workbook.XLSX_MAX_PARTS):
            book.writestr(f"xl/media/{n}.bin", b"")
    refused(gate_db, path, r"more than 1,000 files \(parts\)")
    big = tmp_path / "big.xlsx"
    write_workbook(big, [header_row(HEADER), *rows_of([["a" * 1000]] * 100)])
    monkeypatch.setattr(workbook, "XLSX_MAX_PART_BYTES", 50_000)
    refused(gate_db, big, r"\(xl/worksheets/sheet1.xml\) expands to more than 50,000 bytes")


def test_an_xml_part_with_a_dtd_is_not_read(gate_db, tmp_path):
    path = tmp_path / "dtd.xlsx"
    laughs = b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]>'
    write_workbook(path, [header_row(HEADER)], [laughs])
    with pytest.raises(ImportFailed, match="cannot read the XLSX workbook"):
        import_file(gate_db, path, source=SOURCE, type_name="dossier", principal=LOCAL_ADMIN)


def test_an_honest_workbook_reads_as_before(gate_db, tmp_path):
    """Dates, numbers, booleans, text, empty rows and cells: what openpyxl gave, the reader gives."""
    from datetime import datetime

    path = tmp_path / "honest.xlsx"
    write_xlsx(
        path,
        ["id", "n", "x", "when", "flag", "note"],
        [
            ["A", 28261, 2.5, datetime(2025, 9, 1, 8, 30), True, "Phường Bến Nghé"],
            [None] * 6,
            ["B", None, -1, None, False, None],
        ],
    )
    got = list(workbook.xlsx_cells(str(path)))
    assert got == [
        (
            0,
            {
                "id": "A",
                "n": "28261",
                "x": 2.5,
                "when": "2025-09-01T08:30:00",
                "flag": True,
                "note": "Phường Bến Nghé",
            },
        ),
        (2, {"id": "B", "x": "-1", "flag": False}),
    ]
