"""GS1 identifiers as EPCIS events carry them: EPC URNs (``urn:epc:id:sgtin:…``,
``urn:epc:class:lgtin:…``) or GS1 Digital Link URIs (``https://id.gs1.org/01/{gtin}/10/{lot}``).

Every identifier is stored and matched in one canonical form, the Digital Link URI on
``id.gs1.org`` that the EPCIS event hash also uses (the ``epcis-event-hash-generator`` package's
normaliser): an event that names a lot by its URN and a query that names it by a Digital Link find
each other. An identifier that is no GS1 key (``urn:uuid:…``, a sender's own URI) is kept as sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote


def check_digit(body: str) -> int:
    """GS1's check digit of a key's other digits (the hash package's, imported when first used:
    the package brings a JSON-LD processor that a command which never reads a key need not load)."""
    from epcis_event_hash_generator.dl_normaliser import check_digit as gs1_check_digit

    return int(gs1_check_digit(body))


@lru_cache(maxsize=200_000)
def normaliser(uri: str) -> str | None:
    """The package's canonical form of a GS1 key (None for an identifier that is none). It tries
    some forty patterns in turn; an identifier recurs in many events (a place, a lot, a pallet),
    so the forms are remembered (200,000 of them, some 60 MB at the most)."""
    from epcis_event_hash_generator.dl_normaliser import normaliser as gs1_normaliser

    return gs1_normaliser(uri)


DL = "https://id.gs1.org"
GTIN = re.compile(r"^\d{14}$")
GLN = re.compile(r"^\d{13}$")
# GS1 AI (10) batch/lot and (21) serial: up to 20 characters of GS1's set 82
LOT = re.compile(r"^[!%-?A-Z_a-z\"]{1,20}$")
_KEY = re.compile(r"^https://id\.gs1\.org/(01|414|00)/(\d+)(?:/(10|21|254)/([^/?#]+))?$")


def canonical(uri: str) -> str:
    """The canonical form of an identifier (see the module's docstring)."""
    uri = uri.strip()
    try:
        return normaliser(uri) or uri
    except Exception:  # the normaliser's own failure on a malformed key: kept as sent
        return uri


def gtin14(code: str) -> str:
    """A GTIN-8, 12, 13 or 14 as GTIN-14 (zeros in front); ValueError if it is none or its check
    digit is wrong."""
    code = code.strip()
    if not code.isdigit() or len(code) not in (8, 12, 13, 14):
        raise ValueError("a GTIN has 8, 12, 13 or 14 digits")
    code = code.zfill(14)
    if str(check_digit(code[:-1])) != code[-1]:
        raise ValueError(f"wrong check digit (expected {check_digit(code[:-1])})")
    return code


def gln13(code: str) -> str:
    """A GLN (13 digits, checked); ValueError otherwise."""
    code = code.strip()
    if not GLN.match(code):
        raise ValueError("a GLN has 13 digits")
    if str(check_digit(code[:-1])) != code[-1]:
        raise ValueError(f"wrong check digit (expected {check_digit(code[:-1])})")
    return code


def lot_uri(gtin: str, lot: str) -> str:
    """The canonical identifier of a lot (a class of trade items: GTIN + batch/lot)."""
    return f"{DL}/01/{gtin}/10/{quote(lot, safe='')}"


def location_uri(gln: str) -> str:
    """The canonical identifier of a location by its GLN."""
    return f"{DL}/414/{gln}"


@dataclass(frozen=True)
class Key:
    """What a canonical identifier names: a GTIN with a lot or serial, a GLN, an SSCC."""

    kind: str  # "01" (trade item), "414" (location), "00" (logistic unit)
    key: str
    qualifier: str | None = None  # "10" lot, "21" serial, "254" GLN extension
    value: str | None = None

    @property
    def gtin(self) -> str | None:
        return self.key if self.kind == "01" else None

    @property
    def lot(self) -> str | None:
        return self.value if self.kind == "01" and self.qualifier == "10" else None

    @property
    def gln(self) -> str | None:
        return self.key if self.kind == "414" else None


def parse(uri: str) -> Key | None:
    """The GS1 key a canonical identifier names, or None for any other identifier."""
    m = _KEY.match(uri)
    if m is None:
        return None
    kind, key, qualifier, value = m.groups()
    return Key(kind, key, qualifier, unquote(value) if value is not None else None)


def digital_link_path(gtin: str, lot: str) -> str:
    """The path of a lot's public page, as its QR code carries it: ``/01/{gtin}/10/{lot}``."""
    return f"/01/{gtin}/10/{quote(lot, safe='')}"
