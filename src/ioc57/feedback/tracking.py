"""The citizen's tracking code: what follows a report and rates its answer.

Random (50 bits in 10 characters that cannot be misread: no 0/O, 1/I/L), private like the contact:
the report's id may be public (Open311 lists it), its tracking code is not.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10


def mint() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normal(code: str) -> str:
    """A code as typed (spaces, dashes, lower case) in its stored form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())
