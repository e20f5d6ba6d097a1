"""Why a file import stopped: each reason a declared message (``core.messages``), so that
``ioc57 import`` prints it in English and the import page says it in the page's language."""

from __future__ import annotations

from typing import Any

from ioc57.core.access import Refused
from ioc57.core.i18n import N_
from ioc57.core.messages import Message, entry, message

UNKNOWN_FORMAT = message(
    "ingest.unknown_format", N_("unknown format '{format}'; the formats are {formats}")
)
UNKNOWN_EXTENSION = message(
    "ingest.unknown_extension",
    N_(
        "cannot tell the format of '{name}' from its extension; name it .csv, .xlsx or "
        ".ndjson, or give the format"
    ),
)
UNKNOWN_TYPE = message(
    "ingest.unknown_type", N_("unknown record type '{type}'; the types are {types}")
)
NO_SOURCE = message("ingest.no_source", N_("no source '{source}'"))
SOURCE_DISABLED = message("ingest.source_disabled", N_("source '{source}' is disabled"))
NOT_XLSX = message("ingest.not_xlsx", N_("the file is not an XLSX workbook (not a ZIP archive)"))
BINARY = message("ingest.binary", N_("the file is not {format} text (it holds binary data)"))
NOT_UTF8 = message("ingest.not_utf8", N_("the file is not UTF-8 text: {reason}"))
UNREADABLE_FROM = message(
    "ingest.unreadable_from",
    N_(
        "cannot read the file after byte {position}: {reason}; the chunks committed before it "
        "are kept: fix the file and import it again"
    ),
)
UNREADABLE_FILE = message("ingest.unreadable", N_("cannot read the file: {reason}"))


class ImportFailed(Exception):
    """An unknown source or record type, or a file that cannot be read (from its start, or from
    some point on: then the chunks committed before it are kept). ``error`` is the reason as an
    error entry (English ``msg``; ``code`` and ``params`` when the reason is a declared message)."""

    def __init__(self, why: str | Message, /, **params: Any) -> None:
        self.error: dict[str, Any] = (
            entry(why, **params) if isinstance(why, Message) else {"msg": why}
        )
        super().__init__(self.error["msg"])


class ImportRefused(ImportFailed):
    """The access policy refuses the import as a whole (``core.access.Refused``): nothing was
    read or stored."""

    def __init__(self, refused: Refused) -> None:
        super().__init__(refused.detail)
        self.refused = refused
        if refused.code:
            self.error |= {"code": refused.code, "params": refused.params}
