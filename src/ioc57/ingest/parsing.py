"""Reading payloads into rows: JSON arrays, NDJSON lines, CSV and XLSX rows — as streams."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

import orjson

from ioc57.ingest.gate import RowError

# CSV cells that hold a list or an object (procedure.changes, feedback.contact) carry JSON
JSON_CELLS = ("changes", "contact")


def json_rows(items: list[Any]) -> Iterator[tuple[int, Any]]:
    for index, item in enumerate(items):
        if isinstance(item, dict):
            yield index, item
        else:
            yield index, RowError([{"loc": [], "msg": "a record must be a JSON object"}])


def ndjson_rows(lines: Iterable[bytes]) -> Iterator[tuple[int, Any]]:
    index = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield index, RowError([{"loc": [], "msg": f"line {index + 1} is not JSON: {exc}"}])
        else:
            yield (
                index,
                item
                if isinstance(item, dict)
                else RowError([{"loc": [], "msg": "a record must be a JSON object"}]),
            )
        index += 1


def ndjson_lines(lines: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """NDJSON lines as they are, numbered as ``ndjson_rows`` numbers them (blank lines skipped):
    the gate reads each one where it validates it, in a worker process when it has them."""
    index = 0
    for line in lines:
        if not line.strip():
            continue
        yield index, line
        index += 1


def clean_cells(row: dict[str, Any]) -> dict[str, Any] | RowError:
    """Empty cells are absent values; JSON cells are parsed."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key is None or value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                continue
            if key in JSON_CELLS:
                try:
                    value = orjson.loads(value)
                except orjson.JSONDecodeError:
                    return RowError([{"loc": [key], "msg": "must hold JSON"}])
        out[key.strip()] = value
    return out


def csv_rows(handle: Iterable[str]) -> Iterator[tuple[int, Any]]:
    for index, row in enumerate(csv.DictReader(handle)):
        yield index, clean_cells(row)


def xlsx_cells(source: str | IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of an XLSX workbook's first sheet, keyed by its first row (read-only mode: the
    sheet is streamed, never loaded whole). Dates become ISO text, whole numbers text."""
    from openpyxl import load_workbook

    book = load_workbook(source, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else None for h in next(rows, [])]
        for index, values in enumerate(rows):
            if values is None or all(v is None for v in values):
                continue
            row = {}
            for key, value in zip(header, values, strict=False):
                if key is None or value is None:
                    continue
                if hasattr(value, "isoformat"):
                    value = value.isoformat()
                elif isinstance(value, int) and not isinstance(value, bool):
                    value = str(value)  # a code typed as a number (28261); int fields read it back
                row[key] = value
            yield index, row
    finally:
        book.close()


def xlsx_rows(source: str | IO[bytes]) -> Iterator[tuple[int, Any]]:
    for index, row in xlsx_cells(source):
        yield index, clean_cells(row)


def text_stream(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
