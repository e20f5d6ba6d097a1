"""Hostile XLSX workbooks for the tests: small files that expand to a great deal.

A workbook is a ZIP of XML parts; DEFLATE squeezes repetition about a thousandfold, so a file of
a few hundred kilobytes can hold tens of millions of shared strings (each one an object in the
reader's memory), or one long string that thousands of cells refer to. The parts are written in
blocks, so building a bomb costs the test little memory.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
WORKBOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"
SST_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
SST_END = b"</sst>"


def column(number: int) -> str:
    """The letters of column ``number`` (1 is A)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_row(names: Iterable[str]) -> bytes:
    cells = "".join(
        f'<c r="{column(n)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for n, name in enumerate(names, start=1)
    )
    return f'<row r="1">{cells}</row>'.encode()


def write_workbook(path: Path, sheet: Iterable[bytes], shared: Iterable[bytes] = ()) -> Path:
    """A workbook whose first sheet's rows are the blocks of ``sheet`` and whose shared strings
    (``<si>`` elements) are the blocks of ``shared``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(SST_START)
            for block in shared:
                part.write(block)
            part.write(SST_END)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(SHEET_START)
            for block in sheet:
                part.write(block)
            part.write(SHEET_END)
    return path


def shared_strings_bomb(path: Path, count: int, header: Iterable[str] = ("id",)) -> Path:
    """``count`` shared strings of two letters each (a few hundred kilobytes for tens of
    millions), and a sheet of a header and one row that refers to the first of them."""
    block_size = 100_000
    block = b"<si><t>ab</t></si>" * block_size

    def shared() -> Iterable[bytes]:
        for _ in range(count // block_size):
            yield block
        yield b"<si><t>ab</t></si>" * (count % block_size)

    rows = [header_row(header), b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>']
    return write_workbook(path, rows, shared())


def long_string_bomb(
    path: Path, rows: int, cells: int, length: int = 32_000, header: Iterable[str] = ("id",)
) -> Path:
    """One shared string of ``length`` characters that every one of ``cells`` cells of each of
    ``rows`` rows refers to: each row reads as ``cells`` × ``length`` characters."""
    names = list(header)
    names += [f"x{n}" for n in range(len(names), cells)]

    def sheet() -> Iterable[bytes]:
        yield header_row(names)
        for r in range(2, rows + 2):
            yield (
                f'<row r="{r}">'
                + "".join(f'<c r="{column(n)}{r}" t="s"><v>0</v></c>' for n in range(1, cells + 1))
                + "</row>"
            ).encode()

    return write_workbook(path, sheet(), [f"<si><t>{'a' * length}</t></si>".encode()])
