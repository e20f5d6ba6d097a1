"""The words of a Vietnamese report, as the suggestion model reads them.

Vietnamese is written in syllables separated by spaces; a word is one syllable or several ("nước
thải", "đèn tín hiệu"). Without a dictionary of words, the syllables and the pairs of neighbouring
syllables (uni- and bi-grams) catch most of them, and each stays readable when it explains a
suggestion. A text is read NFC-normalised (a tone mark typed as a separate combining character is
the same letter), in lower case, without punctuation or digits (house numbers and dates say
nothing of the category).

Many people type without diacritics ("mat nuoc", "rac thai"): every n-gram is also given folded
(marks removed, đ → d), marked with ``~``, so that a text typed either way meets the same features.
"""

from __future__ import annotations

import re
import unicodedata

FOLDED = "~"  # the mark of a folded n-gram: "~nuoc thai" is "nước thải" without its marks
_LETTERS = re.compile(r"[^\W\d_]+")


def normal(text: str) -> str:
    """``text`` in NFC and lower case."""
    return unicodedata.normalize("NFC", text).lower()


def syllables(text: str) -> list[str]:
    """The syllables of ``text``: its runs of letters, normalised (punctuation, digits out)."""
    return _LETTERS.findall(normal(text))


def fold(text: str) -> str:
    """``text`` without its diacritics ("Nước thải" → "nuoc thai"), in lower case."""
    decomposed = unicodedata.normalize("NFD", normal(text).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def ngrams(words: list[str]) -> list[str]:
    """The syllables and the pairs of neighbouring syllables."""
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def surface(text: str) -> dict[str, str]:
    """Each feature of ``text`` (an n-gram, and its folded form) -> the n-gram as the text has it:
    what a suggestion shows as its reason."""
    found: dict[str, str] = {}
    for gram in ngrams(syllables(text)):
        found.setdefault(gram, gram)
        found.setdefault(FOLDED + fold(gram), gram)
    return found


def features(text: str) -> list[str]:
    """The features of ``text`` (the analyzer of the suggestion's vectorizer): its n-grams, and
    each again folded."""
    grams = ngrams(syllables(text))
    return grams + [FOLDED + fold(g) for g in grams]
