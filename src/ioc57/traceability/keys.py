"""The province's signing key: an Ed25519 private key in a file only the app reads, and its public
key in ``trace_keys`` so that anyone holding the export can check a checkpoint's signature.

The private key never enters the database: whoever can write the database alone cannot sign a
checkpoint. It lives in ``IOC57_TRACE_KEY_FILE`` (else ``<db>.trace-key`` beside an SQLite file,
as the secret key does) and is made on first need with mode 0600. A key is named by the SHA-256 of
its raw public key; when the file's key changes, the old public keys stay (retired) to verify the
checkpoints they signed.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ioc57.core.clock import now
from ioc57.traceability.tables import keys

NO_KEY = (
    "No signing key: set IOC57_TRACE_KEY_FILE to the file that keeps the province's key"
    " (it is made there on first use); only an SQLite database has a default one beside it."
)


class KeyUnavailable(RuntimeError):
    """The signing key cannot be had: no file is named, or it cannot be read or made."""


def load_or_create(path: Path | None) -> Ed25519PrivateKey:
    """The private key kept in ``path``, made there (mode 0600) when the file does not exist."""
    if path is None:
        raise KeyUnavailable(NO_KEY)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    except OSError as exc:
        raise KeyUnavailable(f"cannot make the signing key {path}: {exc.strerror}") from exc
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return key


def _read(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise KeyUnavailable(f"cannot read the signing key {path}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyUnavailable(f"the signing key {path} is not an Ed25519 key")
    return key


def key_id(public: Ed25519PublicKey) -> str:
    """The SHA-256 (hex) of the raw public key."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def register(conn: Connection, private: Ed25519PrivateKey) -> str:
    """The key's id, its public key stored first if new (the others then retired)."""
    public = private.public_key()
    kid = key_id(public)
    if conn.execute(select(keys.c.id).where(keys.c.key_id == kid)).first() is None:
        at = now()
        conn.execute(update(keys).where(keys.c.retired_at.is_(None)).values(retired_at=at))
        conn.execute(insert(keys).values(key_id=kid, public_key=public_pem(public), created_at=at))
    return kid


def public_keys(conn: Connection) -> dict[str, Ed25519PublicKey]:
    """Every stored public key by its id (a row whose PEM is not an Ed25519 key is left out, and
    the checkpoints it signed are reported)."""
    found: dict[str, Ed25519PublicKey] = {}
    for row in conn.execute(select(keys.c.key_id, keys.c.public_key)):
        try:
            public = serialization.load_pem_public_key(row.public_key.encode())
        except ValueError:
            continue
        if isinstance(public, Ed25519PublicKey) and key_id(public) == row.key_id:
            found[row.key_id] = public
    return found


def sign(private: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(private.sign(message)).decode()


def signed(public: Ed25519PublicKey, signature: str, message: bytes) -> bool:
    """Whether ``signature`` (base64) is ``public``'s over ``message``."""
    try:
        public.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True
