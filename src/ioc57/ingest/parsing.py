"""Reading payloads into rows: JSON arrays, NDJSON lines, CSV and XLSX rows — as streams."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any, get_args, get_origin

import orjson
from pydantic import BaseModel

from ioc57.core.i18n import N_
from ioc57.core.messages import entry, message
from ioc57.ingest.validation import NOT_AN_OBJECT, NOT_JSON, RowError

CELL_NOT_JSON = message("ingest.cell_not_json", N_("must hold JSON"))


def json_rows(items: list[Any]) -> Iterator[tuple[int, Any]]:
    for index, item in enumerate(items):
        if isinstance(item, dict):
            yield index, item
        else:
            yield index, RowError([entry(NOT_AN_OBJECT, [])])


def ndjson_rows(lines: Iterable[bytes]) -> Iterator[tuple[int, Any]]:
    index = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield index, RowError([entry(NOT_JSON, [], line=index + 1, reason=str(exc))])
        else:
            yield (
                index,
                item if isinstance(item, dict) else RowError([entry(NOT_AN_OBJECT, [])]),
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


def clean_cells(
    row: dict[str, Any], json_cells: frozenset[str] = frozenset()
) -> dict[str, Any] | RowError:
    """Empty cells are absent values; the cells of ``json_cells`` (fields that hold a list or an
    object, see ``json_fields``) are parsed as JSON."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key is None or value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                continue
            if key in json_cells:
                try:
                    value = orjson.loads(value)
                except orjson.JSONDecodeError:
                    return RowError([entry(CELL_NOT_JSON, [key])])
        out[key.strip()] = value
    return out


# CSV: comma-separated as the RFC says, or as Excel saves it where the decimal mark is a comma (a
# Vietnamese system): separated by semicolons, or by tabs ("Unicode Text"), with decimal commas
DELIMITERS = (",", ";", "\t")
DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+$")  # 53,85 or 1.234,5


class HeaderError(ValueError):
    """A CSV file whose header line names none of the record type's fields: one error for the
    file, rather than one 'field required' per field and row."""


def csv_delimiter(header: str) -> str:
    """The delimiter of a CSV file, read from its header line: the one of comma, semicolon and
    tab it holds most of outside quotes (a comma when it holds none)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])  # the first of the most frequent
    return best if counts[best] else ","


def _unwrapped(annotation: Any) -> list[Any]:
    """The types a field's annotation allows (``X | None`` gives X and None)."""
    args = get_args(annotation)
    if annotation is None or not args or get_origin(annotation) in (list, dict, tuple):
        return [annotation]
    return [t for arg in args for t in _unwrapped(arg)]


def json_fields(model: type[BaseModel] | None) -> frozenset[str]:
    """The fields of ``model`` that hold a list or an object: a CSV or XLSX cell of one of them
    carries JSON (a procedure's ``changes``, a report's ``contact``)."""
    if model is None:
        return frozenset()
    out = set()
    for name, info in model.model_fields.items():
        for kind in _unwrapped(info.annotation):
            origin = get_origin(kind) or kind
            if origin in (list, dict, tuple) or (
                isinstance(origin, type) and issubclass(origin, BaseModel)
            ):
                out.add(name)
    return frozenset(out)


def _numbers(model: type[BaseModel]) -> frozenset[str]:
    """The fields of ``model`` that hold a number with a fractional part."""
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if info.annotation is float or float in get_args(info.annotation)
    )


def csv_rows(
    handle: Iterable[str], model: type[BaseModel] | None = None
) -> Iterator[tuple[int, Any]]:
    """The rows of a CSV file, keyed by its header line. The delimiter is read from the header;
    with ``model``, a header that names none of its fields raises ``HeaderError`` at once, and in
    a file separated otherwise than by commas, numbers written with a decimal comma are read."""
    lines = iter(handle)
    header = next(lines, None)
    if header is None:
        return iter(())
    delimiter = csv_delimiter(header)
    reader = csv.DictReader(chain([header], lines), delimiter=delimiter)
    numbers: frozenset[str] = frozenset()
    cells = json_fields(model)
    if model is not None:
        names = {name.strip() for name in reader.fieldnames or () if name}
        fields = [name for name in model.model_fields if name != "updated_at"]
        if not names & set(model.model_fields):
            raise HeaderError(
                "the header line names none of the record's fields: its first line should "
                f"name the columns, separated by commas, semicolons or tabs: {', '.join(fields)}"
            )
        if delimiter != ",":
            numbers = _numbers(model)
    return _csv_records(reader, numbers, cells)


def _csv_records(
    reader: csv.DictReader[str], numbers: frozenset[str], json_cells: frozenset[str]
) -> Iterator[tuple[int, Any]]:
    for index, row in enumerate(reader):
        cells = clean_cells(row, json_cells)
        if numbers and isinstance(cells, dict):
            for key in numbers & cells.keys():
                value = cells[key]
                if isinstance(value, str) and DECIMAL_COMMA.match(value):
                    cells[key] = value.replace(".", "").replace(",", ".")
        yield index, cells


def text_stream(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
