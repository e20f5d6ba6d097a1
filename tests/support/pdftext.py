"""The text of a PDF that fpdf2 wrote with embedded TrueType fonts (Identity-H, a ToUnicode map per
font): enough of a parser to check what a reader's PDF viewer would show, without a PDF library.
Each ``Tj`` string is decoded through its font's ToUnicode map; strings join with spaces."""

from __future__ import annotations

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
STRING = rb"\(((?:\\.|[^\\)])*)\)"
ARRAY = rb"\[((?:\((?:\\.|[^\\)])*\)|[^\](])*)\]"  # a TJ's strings and spacings
SHOWN = re.compile(rb"/(F\d+) [\d.]+ Tf|" + STRING + rb" ?Tj|" + ARRAY + rb" ?TJ", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _stream(body: bytes) -> bytes:
    found = STREAM.search(body)
    if found is None:
        return b""
    data = found.group(1)
    return zlib.decompress(data) if b"/FlateDecode" in body[: found.start()] else data


def _cmap(data: bytes) -> dict[int, str]:
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, start in re.findall(rb"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            first = int(start, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(first + i)
    return out


def _unescape(raw: bytes) -> bytes:
    def one(m: re.Match[bytes]) -> bytes:
        c = m.group(1)
        if c[:1].isdigit():
            return bytes([int(c, 8)])
        return ESCAPES.get(c, c)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, raw, flags=re.S)


def _decoded(font: dict[int, str], codes: bytes) -> str:
    return "".join(
        font.get(int.from_bytes(codes[i : i + 2]), "\ufffd") for i in range(0, len(codes) - 1, 2)
    )


def pdf_text(pdf: bytes) -> str:
    objects = {int(n): body for n, body in OBJECT.findall(pdf)}
    maps: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", body):
            font = objects[int(ref)]
            uni = re.search(rb"/ToUnicode (\d+) 0 R", font)
            if uni and name not in maps:
                maps[name] = _cmap(_stream(objects[int(uni.group(1))]))
    words: list[str] = []
    for body in objects.values():
        content = _stream(body)
        if b"Tj" not in content:
            continue
        font: dict[int, str] = {}
        for name, shown, array in SHOWN.findall(content):
            if name:
                font = maps.get(name, {})
                continue
            parts = re.findall(STRING, array) if array else [shown]
            words.append("".join(_decoded(font, _unescape(raw)) for raw in parts))
    return " ".join(words)
