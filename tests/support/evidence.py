"""Evidence files as a lead agency sends them, made in memory: the five kinds taken, and the
kinds refused (a program renamed, an Office file with macros, a ZIP of something else)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def pdf(text: str = "Báo cáo kết quả") -> bytes:
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n% " + text.encode() + b"\n%%EOF\n"


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"\xff\xd9"


def package(*parts: str) -> bytes:
    """A ZIP holding ``parts`` (an Office Open XML package when they are its parts)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part in parts:  # dated, so that the same parts make the same bytes
            entry = zipfile.ZipInfo(part, date_time=(2025, 5, 6, 8, 0, 0))
            archive.writestr(entry, CONTENT_TYPES if part == "[Content_Types].xml" else "<x/>")
    return out.getvalue()


def docx() -> bytes:
    return package("[Content_Types].xml", "_rels/.rels", "word/document.xml")


def docm() -> bytes:
    """A Word document with macros, as one would rename it .docx."""
    return package("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")


def xlsx() -> bytes:
    """A real workbook, as openpyxl writes it (dated now: its bytes differ from call to call)."""
    book = Workbook()
    book.active.append(["Nhiệm vụ", "Tiến độ"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def exe() -> bytes:
    """A Windows program (its MZ header), as one would rename it .pdf."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)


def decision() -> list[tuple[str, bytes]]:
    """The evidence of a completion: the decision issued, as a PDF (``Planner.report``'s files)."""
    return [("quyet-dinh.pdf", pdf("Quyết định ban hành"))]
