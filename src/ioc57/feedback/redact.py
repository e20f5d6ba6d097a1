"""Personal data taken out of a citizen's text before anyone outside the staff reads it.

Redacted, each replaced by a bracketed word so that the reader sees something was there:

- what the report's contact gives (``known``: the name, however it is spaced, cased or written
  without its accents; the phone number in any grouping; the email);
- names after a form of address or an introduction (ông, bà, anh, chị, cô, chú, bác, em, cháu,
  cụ, …; "tôi tên", "tôi là", "con tôi là", "họ tên:"): one to five capitalised words, stopping
  at a title (Chủ tịch, Trưởng ấp, Công an, …) or a place word (Phường, Ấp, …);
- phone numbers: mobiles and landlines with 0 or +84/84 (10 or 11 digits), grouped by spaces,
  dots or dashes, an area code in brackets ("(0273) 3 872 123"); service numbers (1022, 1900 …)
  stay;
- emails (also "ten (at) mien.vn");
- national ID numbers: 12-digit CCCD and 9-digit CMND numbers standing alone, and any number
  after "CCCD", "CMND", "căn cước", "chứng minh", "hộ chiếu";
- exact house numbers: "số nhà 12", "nhà số 7", "nhà 45", "căn hộ 1203", "số 12 đường …",
  "12/3A Lê Lợi", "12 đường …", "ở 34 Nguyễn Huệ", "12 hẻm 3";
- vehicle plates ("63B1-234.56", "51F-123.45", "29A 12345"), which name their owner.

Kept: what says where the problem is, not who reported it — the hamlet, the street and its name,
the alley ("hẻm 3/4": a place, many houses), numbered streets ("đường số 7"), the commune; and
ordinary numbers: dates, times, amounts, documents ("Quyết định số 766/QĐ-TTg"), hotlines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

NAME = "[họ tên]"
PHONE = "[số điện thoại]"
EMAIL = "[email]"
ID = "[số giấy tờ]"
HOUSE = "[số nhà]"
PLATE = "[biển số xe]"

# the capital letters of Vietnamese (and Latin): a range like À-Ỹ would hold small letters too
UPPER = "".join(
    c
    for c in map(chr, (*range(0x41, 0x5B), *range(0xC0, 0x1B1), *range(0x1EA0, 0x1EFA)))
    if c.isupper()
)
WORD = rf"[{UPPER}][^\W\d_]*"
# words a capitalised phrase after "ông", "anh" … starts with when it is a title or an office,
# not a name ("ông Chủ tịch UBND xã", "anh Công an khu vực")
TITLES = (
    "Chủ tịch|Chủ nhiệm|Phó Chủ tịch|Phó Giám đốc|Phó Trưởng|Phó Bí thư|Phó Chánh|Trưởng ấp|"
    "Trưởng khu|Trưởng khóm|Trưởng thôn|Trưởng bản|Trưởng phòng|Trưởng ban|Trưởng công an|"
    "Giám đốc|Bí thư|Tổ trưởng|Công an|Ủy ban|Uỷ ban|UBND|HĐND|Sở|Phòng|Đội|Ban|Trung tâm|"
    "Bệnh viện|Trạm|Trường học|Trường Tiểu học|Trường THCS|Trường THPT|Trường Mầm non|Thanh tra|"
    "Văn phòng|Cục|Chi cục|Hạt|Kiểm lâm|Chánh án|Chánh văn phòng|Chánh thanh tra|Bộ|Đảng|"
    "Mặt trận|Đoàn Thanh niên|Hội đồng|Hội Nông dân|Hội Phụ nữ|Hội Cựu chiến binh|Cán bộ|Công ty|"
    "Hợp tác xã|Tòa án|Viện"
)
# words that end a name: the place it is followed by ("ông An Phường 3")
PLACES = (
    "Phường|Xã|Ấp|Khóm|Khu|Tổ|Đường|Hẻm|Ngõ|Kiệt|Ngách|Quận|Huyện|Tỉnh|Thành phố|Thị trấn|Thị xã|"
    "Quốc lộ|Tỉnh lộ|Số|Nhà|UBND|TP|Tp"
)
ADDRESS_FORMS = (
    "ông bà|vợ chồng|gia đình|hộ gia đình|hộ ông|hộ bà|hộ|chủ hộ|chủ nhà|chủ quán|chủ xe|chủ cơ sở|"
    "ông|bà|anh|chị|cô|chú|bác|dì|cậu|mợ|thím|dượng|em|cháu|cụ|thầy|bé|"
    "bác sĩ|y tá|luật sư|đồng chí|đ/c|"
    "tôi tên là|tôi tên|tôi là|tên tôi là|tên là|tên|con tôi là|con tôi tên|con tôi|"
    "vợ tôi là|vợ tôi|chồng tôi là|chồng tôi|mẹ tôi|bố tôi|cha tôi|"
    "họ và tên|họ tên|người phản ánh|người gửi"
)
# a run of capitalised words (a name, if a form of address comes before it), up to five, stopping
# at a place word; it is sought first (capitals are few), then what comes before it is read
_NOT_PLACE = rf"(?!(?:{PLACES})(?![^\W\d_]))"
_CAPITALISED = re.compile(
    rf"(?=[{UPPER}])(?<![^\W\d_]){_NOT_PLACE}{WORD}(?:\s+{_NOT_PLACE}{WORD}){{0,4}}"
)
_TITLE = re.compile(rf"(?:{TITLES})(?![^\W\d_])")
FORMS = {tuple(form.split()) for form in ADDRESS_FORMS.split("|")}
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s?(?:@|\((?:at|a còng)\)|\[(?:at|a còng)\])\s?[\w-]+(?:\s?\.\s?[\w-]+)*\.[a-z]{2,}",
    re.IGNORECASE,
)
# a phone: a trunk prefix (0, 84, +84, an area code in brackets), then 8 to 10 digits, each after
# at most one separator; the first digit after the prefix is never 0 (nor is an amount's first)
_SEP = r"[ .\-]?"
_PHONE = re.compile(
    r"(?=[(+08])(?<![\d+.,/])(?:"
    rf"(?:\(\s?\+?84\s?\)|\+\s?84|(?<!\d)84)\s?{_SEP}[1-9](?:{_SEP}\d){{7,9}}"
    rf"|\(0\d{{2,3}}\)\s?\d(?:{_SEP}\d){{6,7}}"
    rf"|0[1-9](?:{_SEP}\d){{8,9}}"
    r")(?!\d)(?![.,]\d)"
)
_ID_AFTER_WORD = re.compile(
    r"((?i:CCCD|CMND|CMT|căn cước(?: công dân)?|chứng minh(?: nhân dân| thư)?|số định danh"
    r"(?: cá nhân)?|hộ chiếu|giấy tờ tùy thân)(?:\s*(?:số|là|:|-|#))*\s*)"
    r"([A-Z]?\d(?:[ .\-]?\d){5,14})(?!\d)"
)
_ID = re.compile(
    r"(?=\d)(?<![\d.,/])(?:\d{12}|\d{9}|\d{3}(?: \d{3}){3})(?![\d/]|[.,]\d)"
    r"(?!\s*(?i:đồng|đ|vnđ|vnd|triệu|tỷ|m|km|kg|tấn|lít)(?![^\W\d_]))"
)
_PLATE = re.compile(
    r"(?=\d)(?<![\w./])\d{2}\s?-?\s?[A-Z][A-Z0-9]?\s?[-.\s]?\s?(?:\d{3}\.\d{2}|\d{4,5})"
    r"(?![\w/]|[.,]\d)"
)
_NUMBER = re.compile(r"(?=\d)(?<![\w/.,])\d{1,5}[A-Za-z]?(?:/\d{1,5}[A-Za-z]?)*(?![\w/])")
STREETS = r"đường|phố|hẻm|ngõ|kiệt|ngách|hẽm|hem"
# the words before a house number: số nhà 12, nhà số 7, nhà 45, căn hộ 1203, địa chỉ: 12/3
HOUSE_WORDS = {("nhà",), ("số", "nhà"), ("căn", "nhà"), ("căn", "hộ"), ("căn",), ("địa", "chỉ")}
# the words before a number that is a house when a street or its name follows: số 12 Lê Lợi
AT_WORDS = {"số", "ở", "tại"}
# a number after these names a document, a road, an alley, a hamlet's group, a lot: it stays
KEEP_WORDS = (
    "giấy|phiếu|luật|điều|khoản|mục|tờ|thửa|tuyến|xe|kênh|cống|cầu|trụ|cột|km|đường|hẻm|ngõ|"
    "kiệt|ngách|hẽm|hem|tổ|ấp|khóm|khu|khu phố|lô|phường|xã|thôn|bản|đội|nhóm|phòng|bàn|lớp|"
    "trạm|quốc lộ|tỉnh lộ|quyết định|công văn|văn bản|thông báo|nghị định|nghị quyết|thông tư|"
    "kế hoạch|chỉ thị|tờ trình|biên bản|hồ sơ|hợp đồng|hóa đơn|hoá đơn"
)
KEEP = {tuple(w.split()) for w in KEEP_WORDS.split("|")}
# what a number after "nhà" counts when it is no house number ("nhà 2 tầng")
_MEASURE_AFTER = re.compile(
    r"\s+(?i:tầng|lầu|gian|căn|người|nhân khẩu|hộ|phòng|m|m2|m²|mét|năm|tháng|ngày|lần)"
    r"(?![^\W\d_])"
)
_STREET_AFTER = re.compile(rf"\s*,?\s+(?i:{STREETS})\s+(?:[{UPPER}]|số|\d)")
_STREET_OR_NAME_AFTER = re.compile(rf"\s*,?\s+(?:(?i:{STREETS})(?![^\W\d_])|[{UPPER}])")
_SLASHED_WITH_LETTER = re.compile(r"\d+[A-Za-z]/|/\d+[A-Za-z]")
_DIGIT = re.compile(r"\d")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _bare(char: str) -> str:
    """A letter without its accents (đ as d)."""
    if char in "đĐ":
        return "d"
    return unicodedata.normalize("NFD", char)[0].lower()


def _loose_name(name: str) -> re.Pattern[str]:
    """A person's name as a text may write it: any case, spacing, with or without accents."""
    words = []
    for word in name.split():
        chars = []
        for char in word:
            bare = _bare(char)
            chars.append(f"[{re.escape(char)}{bare}]" if bare != char.lower() else re.escape(char))
        words.append("".join(chars))
    return re.compile(r"(?<![^\W\d_])" + r"\s+".join(words) + r"(?![^\W\d_])", re.IGNORECASE)


def _loose_digits(digits: str) -> re.Pattern[str]:
    """A phone number as a text may write it: grouped any way, with +84 for its leading 0."""
    national = digits[1:] if digits.startswith("0") else digits.removeprefix("84")
    spaced = r"[\s.\-()]*".join(national)
    return re.compile(rf"(?<!\d)(?:(?:(?:\+\s?)?\(?84\)?|0)[\s.\-()]*)?{spaced}(?!\d)")


@lru_cache(maxsize=4096)
def _known_patterns(values: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The patterns of a contact's values (a report's versions share them: compiled once)."""
    found = []
    for value in values:
        value = _fold(value).strip()
        digits = re.sub(r"\D", "", value)
        if "@" in value:
            found.append((re.compile(re.escape(value), re.IGNORECASE), EMAIL))
        elif len(digits) >= 8 and len(digits) >= len(re.sub(r"[\s.\-()+]", "", value)) - 1:
            found.append((_loose_digits(digits), PHONE))
        elif len(value) >= 2 and any(c.isalpha() for c in value):
            found.append((_loose_name(value), NAME))
    return tuple(found)


def _known(out: str, values: Iterable[str | None]) -> str:
    """``out`` without the contact's own name, phone and email, however they are written."""
    for pattern, mark in _known_patterns(tuple(v for v in values if v)):
        out = pattern.sub(mark, out)
    return out


def _words_before(text: str, start: int) -> list[str]:
    """The (up to four) words just before ``start``, lower case, without a colon; none when the
    number is glued to what comes before it."""
    chunk = text[max(0, start - 32) : start]
    if not chunk or not chunk[-1].isspace() and chunk[-1] != ":":
        return []
    return [w.strip(":").lower() for w in chunk.split()[-4:] if w.strip(":")]


def _ends_with(words: list[str], phrases: set) -> bool:
    return any(tuple(words[-n:]) in phrases for n in (1, 2, 3) if len(words) >= n)


def _is_house(text: str, number: re.Match[str]) -> bool:
    """Whether ``number`` is a house's: after "nhà", "số nhà", "căn hộ", "địa chỉ"; after "số",
    "ở", "tại" with a street or its name after; before "đường", "hẻm" … and a name; or slashed
    with a letter (12/3A). Not after a document, a road or an alley ("đường số 7", "hẻm 3")."""
    words = _words_before(text, number.start())
    bare = words[:-1] if words[-1:] == ["số"] else words
    if _ends_with(bare, KEEP):
        return False
    end = number.end()
    if _ends_with(bare, HOUSE_WORDS):
        return not _MEASURE_AFTER.match(text, end)
    if words[-1:] and words[-1] in AT_WORDS and _STREET_OR_NAME_AFTER.match(text, end):
        return True
    return bool(_STREET_AFTER.match(text, end) or _SLASHED_WITH_LETTER.search(number[0]))


def _houses(text: str) -> str:
    return _NUMBER.sub(lambda m: HOUSE if _is_house(text, m) else m[0], text)


def _names(text: str) -> str:
    """``text`` without the names that follow a form of address; a title ("ông Chủ tịch") stays.
    A run of capitalised words may hold its form ("Bà Lê Thị Hoa" opening a sentence): the name
    is what follows the first form in it."""
    out, last = [], 0
    for match in _CAPITALISED.finditer(text):
        before = _words_before(text, match.start())
        words = match[0].split()
        offsets = [w.start() for w in _WORD_START.finditer(match[0])]
        for i, offset in enumerate(offsets):
            start = match.start() + offset
            if _TITLE.match(text, start):
                break
            if _ends_with(before + [w.lower() for w in words[:i]], FORMS):
                out += [text[last:start], NAME]
                last = match.end()
                break
    return "".join(out) + text[last:] if out else text


_WORD_START = re.compile(r"(?<!\S)\S")
ID_WORDS = ("cccd", "cmnd", "cmt", "căn cước", "chứng minh", "định danh", "hộ chiếu", "giấy tờ")
EMAIL_SIGNS = ("@", "(at)", "[at]", "a còng")


def redact(text: str | None, known: Iterable[str | None] = ()) -> str:
    """``text`` with personal data replaced; ``known`` are values known to be personal (the
    reporter's contact: name, phone, email), removed however the text writes them."""
    if not text:
        return ""
    out = _known(_fold(text), known)
    lower = out.lower()
    if any(sign in lower for sign in EMAIL_SIGNS):
        out = _EMAIL.sub(EMAIL, out)
    if _DIGIT.search(out):
        if any(word in lower for word in ID_WORDS):
            out = _ID_AFTER_WORD.sub(lambda m: m.group(1) + ID, out)
        out = _PHONE.sub(PHONE, out)
        out = _ID.sub(ID, out)
        out = _PLATE.sub(PLATE, out)
        out = _houses(out)
    return _names(out)
