"""The hash chain of what each source captured, and what a checkpoint signs.

Each event a source captures (or corrects) appends one row to its chain: ``digest`` is the SHA-256
of the event's stored JSON, ``link`` the SHA-256 of the row before's link, the row's number, the
event's id and its digest. Changing a stored event changes its digest; removing one leaves a row
that names an event no longer there; changing or removing a row of the chain breaks the links after
it. A checkpoint signs a stretch of a chain (its head and the Merkle root of its digests), so that
whoever keeps a copy of the checkpoint can tell the chain was not rewritten whole.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

GENESIS = "0" * 64


def digest(document: str) -> str:
    """The SHA-256 of an event's stored JSON."""
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def link(previous: str, seq: int, event_id: str, event_digest: str) -> str:
    """The link of row ``seq`` of a chain, from the link before it (``GENESIS`` for the first)."""
    text = f"{previous}|{seq}|{event_id}|{event_digest}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def merkle_root(digests: Sequence[str]) -> str:
    """The Merkle root of hex SHA-256 digests (RFC 6962's tree: leaves and nodes hashed with a
    prefix byte of 0 and 1, an odd node carried up); the SHA-256 of nothing for none."""
    if not digests:
        return hashlib.sha256(b"").hexdigest()
    level = [hashlib.sha256(b"\x00" + bytes.fromhex(d)).digest() for d in digests]
    while len(level) > 1:
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0].hex()


def statement(
    source: str, first_seq: int, last_seq: int, head: str, root: str, signed_at: str
) -> bytes:
    """The bytes a checkpoint's signature covers."""
    return (
        f"ioc57-trace-checkpoint|{source}|{first_seq}|{last_seq}|{head}|{root}|{signed_at}".encode()
    )
