"""Reading XLSX workbooks: the first sheet of a workbook as rows, streamed within caps."""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any
from xml.parsers import expat

from ioc57.core.i18n import N_

# A workbook is a ZIP of XML parts, and DEFLATE squeezes repetition about a thousandfold: an upload
# of a few hundred kilobytes can expand to gigabytes of XML, or to tens of millions of shared
# strings, which a reader must hold while it reads the sheet (cells refer to them by number). So
# the ZIP's directory and every part's sizes are checked before a byte is inflated, each part is
# inflated and parsed piece by piece (expat, no DTD, no entities), and each count below is kept
# as it is read: the first one exceeded refuses the whole file with ``WorkbookTooLarge``. The
# shared strings are read before the first row is given out, so a workbook refused for them
# leaves nothing behind. (openpyxl, even in read-only mode, loads every shared string first,
# with no limit: the hole this reader closes.)

XLSX_MAX_PARTS = 1_000  # files in the ZIP (an ordinary workbook has a dozen)
XLSX_MAX_PART_BYTES = 512 * 1024 * 1024  # a sheet or the shared strings, uncompressed
XLSX_MAX_SMALL_PART_BYTES = 16 * 1024 * 1024  # any other part (workbook, relationships, styles)
XLSX_MAX_COMPRESSION_RATIO = 200  # uncompressed : compressed, for a part of ...
XLSX_RATIO_FROM_BYTES = 1024 * 1024  # ... at least this size (tiny parts compress oddly)
XLSX_MAX_SHARED_STRINGS = 2_000_000
XLSX_MAX_SHARED_STRING_CHARS = 64_000_000  # all shared strings together
XLSX_MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of a cell
XLSX_MAX_ROW_CHARS = 65_536  # all the cells of a row (a shared string counts each time it is used)
XLSX_MAX_CELLS_PER_ROW = 256  # cells that hold a value, in one row
XLSX_MAX_COLUMNS = 16_384  # Excel's last column, XFD
XLSX_MAX_ROWS = 1_048_576  # Excel's last row
# the text a sheet gives in all (a shared string counts each time a cell uses it), at most this
# many times the file's size, plus a floor for small files: one long string repeated by many
# cells of many rows stays within each cap above, and would fill the memory of whoever reads it
# (an honest workbook gives 2 to 15 times its size)
XLSX_MAX_TEXT_EXPANSION = 50
XLSX_TEXT_FLOOR_CHARS = 1_000_000
XLSX_READ_BYTES = 64 * 1024  # inflated and parsed at a time

TOO_MANY_PARTS = N_("The workbook holds more than %(n)s files (parts).")
PART_TOO_LARGE = N_("A part of the workbook (%(part)s) expands to more than %(n)s bytes.")
PART_TOO_COMPRESSED = N_(
    "A part of the workbook (%(part)s) is compressed more than %(n)s to 1: it is no ordinary "
    "spreadsheet."
)
TOO_MANY_SHARED_STRINGS = N_("The workbook holds more than %(n)s distinct texts (shared strings).")
SHARED_STRINGS_TOO_LONG = N_(
    "The distinct texts (shared strings) of the workbook hold more than %(n)s characters in all."
)
CELL_TOO_LONG = N_("A cell holds more than %(n)s characters, the limit of Excel (row %(row)s).")
ROW_TOO_LONG = N_("Row %(row)s holds more than %(n)s characters.")
TOO_MANY_CELLS = N_("Row %(row)s has more than %(n)s cells with a value.")
TOO_MANY_COLUMNS = N_("Row %(row)s has a cell beyond column %(n)s, the last column of Excel.")
TOO_MANY_ROWS = N_("The sheet has more than %(n)s rows, the limit of Excel.")
TOO_MUCH_TEXT = N_(
    "The cells of the sheet hold more than %(n)s characters in all, more than %(times)s times "
    "the size of the file: a text repeated by many cells?"
)


class WorkbookError(Exception):
    """An XLSX file that cannot be read: not a workbook, or broken."""


class WorkbookTooLarge(WorkbookError):
    """A workbook beyond one of the caps; ``msg`` is a message id naming it, ``params`` its
    values (``str()`` gives it in English)."""

    def __init__(self, msg: str, **params: Any) -> None:
        params = {k: f"{v:,}" if isinstance(v, int) else v for k, v in params.items()}
        super().__init__(msg % params)
        self.msg = msg
        self.params = params


EOCD = b"PK\x05\x06"  # the end of the ZIP's central directory
ZIP64_LOCATOR = b"PK\x06\x07"


def _check_directory(handle: IO[bytes]) -> int:
    """Refuse a ZIP whose directory lists more than ``XLSX_MAX_PARTS`` files, before ``zipfile``
    reads it whole (a directory of millions of entries is a bomb of its own); its size."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - 22 - 65_535))
    tail = handle.read()
    at = tail.rfind(EOCD)
    if at < 0 or len(tail) < at + 22:
        raise WorkbookError("the file is not a ZIP archive (no central directory)")
    entries = struct.unpack_from("<H", tail, at + 10)[0]
    if entries == 0xFFFF and at >= 20 and tail[at - 20 : at - 16] == ZIP64_LOCATOR:
        offset = struct.unpack_from("<Q", tail, at - 20 + 8)[0]
        handle.seek(offset)
        record = handle.read(56)
        if len(record) < 40 or not record.startswith(b"PK\x06\x06"):
            raise WorkbookError("the ZIP64 directory record is missing")
        entries = struct.unpack_from("<Q", record, 32)[0]
    handle.seek(0)
    if entries > XLSX_MAX_PARTS:
        raise WorkbookTooLarge(TOO_MANY_PARTS, n=XLSX_MAX_PARTS)
    return size


def _check_parts(book: zipfile.ZipFile) -> None:
    """Every part's declared size and compression ratio, before any is inflated."""
    for info in book.infolist():
        if info.file_size > XLSX_MAX_PART_BYTES:
            raise WorkbookTooLarge(PART_TOO_LARGE, part=info.filename, n=XLSX_MAX_PART_BYTES)
        if (
            info.file_size >= XLSX_RATIO_FROM_BYTES
            and info.file_size > XLSX_MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise WorkbookTooLarge(
                PART_TOO_COMPRESSED, part=info.filename, n=XLSX_MAX_COMPRESSION_RATIO
            )


def _local(name: str) -> str:
    """An element's or attribute's name without its namespace."""
    return name.rpartition("}")[2]


def _no_dtd(*_args: Any) -> None:
    raise WorkbookError("the workbook's XML declares a DTD or entities")


def _parse(
    book: zipfile.ZipFile, name: str, handlers: dict[str, Any], limit: int
) -> Iterator[None]:
    """Inflate and parse the part ``name`` piece by piece with expat ``handlers``; yield after each
    piece (so the caller can hand out what the handlers gathered). At most ``limit`` bytes."""
    try:
        info = book.getinfo(name)
    except KeyError:
        raise WorkbookError(f"the workbook has no part {name!r}") from None
    if info.file_size > limit:
        raise WorkbookTooLarge(PART_TOO_LARGE, part=name, n=limit)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.buffer_size = XLSX_READ_BYTES
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    for event, handler in handlers.items():
        setattr(parser, event, handler)
    read = 0
    try:
        with book.open(info) as part:
            while piece := part.read(XLSX_READ_BYTES):
                read += len(piece)
                if read > limit:  # the ZIP lied about the size
                    raise WorkbookTooLarge(PART_TOO_LARGE, part=name, n=limit)
                parser.Parse(piece, False)
                yield
        parser.Parse(b"", True)
        yield
    except expat.ExpatError as exc:
        raise WorkbookError(f"{name} is not well-formed XML: {exc}") from None


def _run(parts: Iterator[None]) -> None:
    for _ in parts:
        pass


def _relationships(book: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """The relationships of ``part`` (``xl/workbook.xml``): id -> (type, target part)."""
    folder, _, base = part.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    found: dict[str, tuple[str, str]] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), posixpath.normpath(path))

    if rels_name in book.NameToInfo:
        _run(_parse(book, rels_name, {"StartElementHandler": start}, XLSX_MAX_SMALL_PART_BYTES))
    return found


class _Workbook:
    """Where the first sheet, the shared strings and the styles are, and the date system."""

    def __init__(self, book: zipfile.ZipFile) -> None:
        main = "xl/workbook.xml"
        for kind, target in _relationships(book, "").values():  # the package's own
            if kind.endswith("/officeDocument"):
                main = target
        rels = _relationships(book, main)
        sheets: list[str] = []
        self.date1904 = False

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id" and "}" in k), None)
                if rid in rels:
                    sheets.append(rels[rid][1])
            elif local == "workbookPr":
                self.date1904 = attrs.get("date1904", "0").lower() in ("1", "true")

        _run(_parse(book, main, {"StartElementHandler": start}, XLSX_MAX_SMALL_PART_BYTES))
        if not sheets:
            raise WorkbookError("the workbook has no sheet")
        self.sheet = sheets[0]
        self.shared = next((t for k, t in rels.values() if k.endswith("/sharedStrings")), None)
        self.styles = next((t for k, t in rels.values() if k.endswith("/styles")), None)


def _shared_strings(book: zipfile.ZipFile, name: str | None) -> list[str]:
    """The shared strings, counted and measured as they are read (rich text runs joined,
    phonetic runs left out, as Excel shows them)."""
    strings: list[str] = []
    if name is None or name not in book.NameToInfo:
        return strings
    pieces: list[str] = []
    state = {"t": False, "phonetic": 0, "length": 0, "total": 0}

    def start(tag: str, _attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "t":
            state["t"] = not state["phonetic"]
        elif local == "rPh":
            state["phonetic"] += 1
        elif local == "si":
            pieces.clear()
            state["length"] = 0

    def end(tag: str) -> None:
        local = _local(tag)
        if local == "t":
            state["t"] = False
        elif local == "rPh":
            state["phonetic"] -= 1
        elif local == "si":
            if len(strings) >= XLSX_MAX_SHARED_STRINGS:
                raise WorkbookTooLarge(TOO_MANY_SHARED_STRINGS, n=XLSX_MAX_SHARED_STRINGS)
            strings.append("".join(pieces))

    def text(data: str) -> None:
        if not state["t"]:
            return
        state["length"] += len(data)
        state["total"] += len(data)
        if state["length"] > XLSX_MAX_CELL_CHARS:
            raise WorkbookTooLarge(CELL_TOO_LONG, n=XLSX_MAX_CELL_CHARS, row="-")
        if state["total"] > XLSX_MAX_SHARED_STRING_CHARS:
            raise WorkbookTooLarge(SHARED_STRINGS_TOO_LONG, n=XLSX_MAX_SHARED_STRING_CHARS)
        pieces.append(data)

    handlers = {"StartElementHandler": start, "EndElementHandler": end}
    handlers["CharacterDataHandler"] = text
    _run(_parse(book, name, handlers, XLSX_MAX_PART_BYTES))
    return strings


def _date_styles(book: zipfile.ZipFile, name: str | None) -> tuple[set[int], set[int]]:
    """The cell styles (``s`` of a cell) that show a number as a date, and as a duration."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    dates: set[int] = set()
    durations: set[int] = set()
    if name is None or name not in book.NameToInfo:
        return dates, durations
    custom: dict[int, str] = {}
    formats: list[int] = []
    depth = {"cellXfs": 0}

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "numFmt" and attrs.get("numFmtId", "").isdigit():
            custom[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            depth["cellXfs"] += 1
        elif local == "xf" and depth["cellXfs"]:
            try:
                formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                formats.append(0)

    def end(tag: str) -> None:
        if _local(tag) == "cellXfs":
            depth["cellXfs"] -= 1

    handlers = {"StartElementHandler": start, "EndElementHandler": end}
    _run(_parse(book, name, handlers, XLSX_MAX_SMALL_PART_BYTES))
    for index, number in enumerate(formats):
        code = custom.get(number, BUILTIN_FORMATS.get(number))
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return dates, durations


def _column(reference: str) -> int:
    """The column number of a cell reference (``AB12`` -> 28); 0 when there is none."""
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            number = number * 26 + ord(char) - 96
        else:
            break
        if number > XLSX_MAX_COLUMNS:
            break
    return number


class _SheetReader:
    """The rows of a sheet as ``(row number, {column: value})``, within the caps. Values are as
    openpyxl gives them with ``data_only``, except that dates and times are ISO text and whole
    numbers text (a code typed as a number, 28261: int fields read it back)."""

    def __init__(
        self,
        strings: list[str],
        dates: set[int],
        durations: set[int],
        epoch: datetime,
        text_cap: int,
    ) -> None:
        self.strings, self.dates, self.durations, self.epoch = strings, dates, durations, epoch
        self.text_cap = text_cap  # characters the whole sheet may give
        self.given = 0  # characters given so far
        self.ready: list[tuple[int, dict[int, Any]]] = []
        self.row = 0
        self.rows_read = 0
        self.cells: dict[int, Any] = {}
        self.row_chars = 0
        self.column = 0
        self.kind = "n"
        self.style = 0
        self.pieces: list[str] = []
        self.length = 0
        self.inside = ""  # "v" or "t" (of an inline string) while their text is read
        self.in_inline = False
        self.phonetic = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "c":
            ref = attrs.get("r")
            self.column = _column(ref) if ref else self.column + 1
            if self.column > XLSX_MAX_COLUMNS:
                raise WorkbookTooLarge(TOO_MANY_COLUMNS, row=self.row, n=XLSX_MAX_COLUMNS)
            self.kind = attrs.get("t", "n")
            try:
                self.style = int(attrs.get("s", "0"))
            except ValueError:
                self.style = 0
            self.pieces, self.length = [], 0
        elif local == "v":
            self.inside = "v"
        elif local == "is":
            self.in_inline = True
        elif local == "t" and self.in_inline and not self.phonetic:
            self.inside = "t"
        elif local == "rPh":
            self.phonetic += 1
        elif local == "row":
            ref = attrs.get("r")
            try:
                self.row = int(ref) if ref else self.row + 1
            except ValueError:
                raise WorkbookError(f"a row is numbered {ref!r}") from None
            self.rows_read += 1
            if self.row > XLSX_MAX_ROWS or self.rows_read > XLSX_MAX_ROWS:
                raise WorkbookTooLarge(TOO_MANY_ROWS, n=XLSX_MAX_ROWS)
            self.cells, self.row_chars, self.column = {}, 0, 0

    def text(self, data: str) -> None:
        if self.inside:
            self.length += len(data)
            if self.length > XLSX_MAX_CELL_CHARS:
                raise WorkbookTooLarge(CELL_TOO_LONG, n=XLSX_MAX_CELL_CHARS, row=self.row)
            self.pieces.append(data)

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local == "v" or local == "t":
            self.inside = ""
        elif local == "is":
            self.in_inline = False
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "c":
            self._cell()
        elif local == "row" and self.cells:
            self.ready.append((self.row, self.cells))

    def _cell(self) -> None:
        if not self.pieces:
            return
        text = "".join(self.pieces)
        kind = self.kind
        value: Any
        if kind == "s":
            try:
                value = self.strings[int(text)]
            except (ValueError, IndexError):
                raise WorkbookError(
                    f"a cell of row {self.row} refers to shared string {text[:20]!r}, "
                    "which the workbook does not hold"
                ) from None
        elif kind in ("inlineStr", "str", "e"):
            value = text
        elif kind == "b":
            value = text.strip() in ("1", "true")
        elif kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            try:
                value = from_ISO8601(text.strip()).isoformat()
            except ValueError:
                value = text
        else:
            value = self._number(text.strip())
        if value is None:
            return
        chars = len(value) if isinstance(value, str) else len(text)
        self.row_chars += chars
        self.given += chars
        if self.given > self.text_cap:
            raise WorkbookTooLarge(TOO_MUCH_TEXT, n=self.text_cap, times=XLSX_MAX_TEXT_EXPANSION)
        if self.row_chars > XLSX_MAX_ROW_CHARS:
            raise WorkbookTooLarge(ROW_TOO_LONG, row=self.row, n=XLSX_MAX_ROW_CHARS)
        if len(self.cells) >= XLSX_MAX_CELLS_PER_ROW and self.column not in self.cells:
            raise WorkbookTooLarge(TOO_MANY_CELLS, row=self.row, n=XLSX_MAX_CELLS_PER_ROW)
        self.cells[self.column] = value

    def _number(self, text: str) -> Any:
        if not text:
            return None
        try:
            number: int | float = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            return text
        if self.style in self.dates:
            from openpyxl.utils.datetime import from_excel

            try:
                moment = from_excel(number, self.epoch, timedelta=self.style in self.durations)
            except (OverflowError, ValueError):
                return "#VALUE!"
            return moment.isoformat() if hasattr(moment, "isoformat") else moment
        return str(number) if isinstance(number, int) else number


def xlsx_sheet_rows(source: str | IO[bytes]) -> Iterator[tuple[int, dict[int, Any]]]:
    """The non-empty rows of a workbook's first sheet: ``(row number, {column number: value})``.

    The directory, the parts' sizes, the styles and the shared strings are read and checked
    before the first row is given out; the rows are read as a stream.
    """
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    handle = open(source, "rb") if isinstance(source, str) else source  # noqa: SIM115
    try:
        size = _check_directory(handle)
        try:
            book = zipfile.ZipFile(handle)
        except zipfile.BadZipFile as exc:
            raise WorkbookError(f"the file is not a ZIP archive: {exc}") from None
        with book:
            _check_parts(book)
            where = _Workbook(book)
            dates, durations = _date_styles(book, where.styles)
            strings = _shared_strings(book, where.shared)
            epoch = CALENDAR_MAC_1904 if where.date1904 else CALENDAR_WINDOWS_1900
            text_cap = XLSX_TEXT_FLOOR_CHARS + XLSX_MAX_TEXT_EXPANSION * size
            sheet = _SheetReader(strings, dates, durations, epoch, text_cap)
            handlers = {
                "StartElementHandler": sheet.start,
                "EndElementHandler": sheet.end,
                "CharacterDataHandler": sheet.text,
            }
            for _ in _parse(book, where.sheet, handlers, XLSX_MAX_PART_BYTES):
                yield from sheet.ready
                sheet.ready.clear()
    finally:
        if handle is not source:
            handle.close()


def xlsx_cells(source: str | IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of an XLSX workbook's first sheet, keyed by its first row, numbered from 0 for
    the sheet's second row (empty rows are skipped, and counted). Dates become ISO text, whole
    numbers text. ``WorkbookTooLarge`` names the cap a workbook exceeds; ``WorkbookError`` says
    why another cannot be read."""
    header: dict[int, str] = {}
    for number, cells in xlsx_sheet_rows(source):
        if number == 1:
            header = {
                column: str(value).strip() for column, value in cells.items() if value is not None
            }
            continue
        yield number - 2, {header[c]: v for c, v in cells.items() if c in header}
