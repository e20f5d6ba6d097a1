"""Personal data taken out of a citizen's text before anyone outside the staff reads it.

Redacted: the reporter's own name (as the contact gives it) and names after a form of address
(ông, bà, anh, chị, …: two to five capitalised words), phone numbers (Vietnamese mobile and fixed
lines, with or without +84, spaced or dotted), email addresses, national ID numbers (9-digit
CMND, 12-digit CCCD) and exact house numbers ("số 12", "nhà 34/5", "12A đường …", "số nhà
7"). The hamlet, street and commune stay: they say where the problem is, not who reported it.
Each is replaced by a bracketed word, so that the reader sees that something was there.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

NAME = "[họ tên]"
PHONE = "[số điện thoại]"
EMAIL = "[email]"
ID = "[số giấy tờ]"
HOUSE = "[số nhà]"

UPPER = "A-ZĐÀ-ỸÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĨŨƠƯẠ-Ỹ"
WORD = rf"[{UPPER}][^\W\d_]*"
ADDRESS_FORMS = (
    "ông|bà|anh|chị|cô|chú|bác|em|cháu|cụ|ông bà|vợ chồng|gia đình|hộ|hộ ông|hộ bà|tôi là|tên là"
)
_NAME_AFTER_FORM = re.compile(
    rf"(?i:\b(?:{ADDRESS_FORMS}))\s+({WORD}(?:\s+{WORD}){{0,4}})", re.UNICODE
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PHONE = re.compile(r"(?<![\w])(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?![\w])")
_ID = re.compile(r"(?<![\w])(?:\d{12}|\d{9})(?![\w])")
_HOUSE = re.compile(
    r"(?i:\b(?:số nhà|nhà số|nhà|căn hộ))\s+\d+[A-Za-z]?(?:/\d+[A-Za-z]?)*"
    r"|(?i:\bsố\s+)?\b\d+[A-Za-z]?(?:/\d+[A-Za-z]?)*(?=\s+(?i:đường|hẻm|ngõ|kiệt|ngách|phố)\b)",
    re.UNICODE,
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def redact(text: str | None, names: Iterable[str | None] = ()) -> str:
    """``text`` with personal data replaced; ``names`` are people known to be in it (the
    reporter's contact name)."""
    if not text:
        return ""
    out = _fold(text)
    out = _EMAIL.sub(EMAIL, out)
    out = _ID.sub(ID, out)
    out = _PHONE.sub(PHONE, out)
    out = _HOUSE.sub(HOUSE, out)
    for name in names:
        if name and len(name.strip()) >= 2:
            out = re.sub(re.escape(_fold(name.strip())), NAME, out, flags=re.IGNORECASE)
    out = _NAME_AFTER_FORM.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + NAME, out)
    return out
