"""A template of ours that a person filled in and uploaded: its rows, read with the gate's file
readers (an XLSX within the caps of ``ingest.workbook``, or a CSV file), before they are sent
through the gate. A file that is no filled template at all raises ``TemplateError``, which the
page shows in the person's language; the rows' own errors are the gate's to report.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ioc57.core.i18n import N_
from ioc57.ingest.fileimport import READERS
from ioc57.ingest.parsing import HeaderError
from ioc57.ingest.workbook import WorkbookTooLarge

NOT_SPREADSHEET = N_(
    "The file is neither an XLSX workbook nor a CSV file in UTF-8: save it as .xlsx, or as "
    "'CSV UTF-8 (comma delimited)'."
)
UNREADABLE_FILE = N_("The file cannot be read; save it again as .xlsx and upload it again.")
TOO_MANY = N_("The file has more than %(n)s rows.")


class TemplateError(Exception):
    """A file that is not a filled template; ``msg`` is a message id, ``params`` its values."""

    def __init__(self, msg: str, **params: Any) -> None:
        super().__init__(msg % params if params else msg)
        self.msg = msg
        self.params = params


def file_kind(filename: str, head: bytes) -> str:
    """``xlsx`` or ``csv``, from the file's first bytes (and, failing them, its name)."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if Path(filename).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods") or b"\x00" in head:
        raise TemplateError(NOT_SPREADSHEET)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            raise TemplateError(NOT_SPREADSHEET) from None
    return "csv"


def filled_rows(
    path: Path,
    filename: str,
    *,
    model: type[BaseModel] | None,
    no_header: str,
    max_rows: int,
) -> tuple[str, list[tuple[int, Any]]]:
    """The file's kind and its rows as the gate's readers give them, ``(index, row)``.

    ``model`` is the record type's model when the readers should know it (a CSV file's header
    checked against its fields, its JSON cells and decimal commas read), None to have the cells
    as they are; ``no_header`` the message of a CSV header that names none of its fields.
    """
    with path.open("rb") as handle:
        kind = file_kind(filename, handle.read(4096))
        handle.seek(0)
        try:  # a CSV file separated by commas, semicolons or tabs, with decimal commas or points
            items = list(islice(READERS[kind](handle, model).rows(), max_rows + 1))
        except HeaderError:
            raise TemplateError(no_header) from None
        except WorkbookTooLarge as exc:  # the cap it exceeds, in the reader's words
            raise TemplateError(exc.msg, **exc.params) from None
        except Exception:  # UNREADABLE, a KeyError, a ValueError...
            raise TemplateError(UNREADABLE_FILE) from None
    if len(items) > max_rows:
        raise TemplateError(TOO_MANY, n=f"{max_rows:,}")
    return kind, items
