"""The photos a citizen sends with a report: images only, small enough, and nothing in them but
the picture.

A file is an image when Pillow opens it as JPEG, PNG or WebP (its name and the type the browser
claims are not read). It is decoded, turned upright, shrunk to at most 2048 pixels on its longest
side and encoded again from its pixels alone: the EXIF block (the phone's GPS position, its make
and model, the time), XMP, ICC profiles and text chunks stay behind. What is stored is that new
file; the one sent is never kept.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from typing import Any

from fastapi.responses import Response
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from ioc57.core.clock import now
from ioc57.core.problems import Problem
from ioc57.feedback.tables import photos, reports

MAX_BYTES = 5 * 1024 * 1024  # a photo as sent
MAX_FILES = 5  # a report's photos (the record holds at most 5)
LONGEST = 2048  # pixels of the longest side once stored
MAX_PIXELS = 50_000_000  # a larger picture is a decompression bomb, not a phone's photo
TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
FIELD = "photos"  # the form's field


@dataclass(frozen=True)
class Clean:
    """A photo re-encoded without its metadata."""

    content_type: str
    width: int
    height: int
    data: bytes


def refused(place: int, msg: str, status: int = 422) -> Problem:
    """A photo refused, naming the field and its place among the files sent."""
    return Problem(
        status, f"{FIELD}[{place}]: {msg}", errors=[{"loc": ["body", FIELD, place], "msg": msg}]
    )


def _upright(image: Image.Image) -> Image.Image:
    """The picture turned as the phone held it (its EXIF orientation), then shrunk."""
    turned = ImageOps.exif_transpose(image) or image
    turned.thumbnail((LONGEST, LONGEST))
    return turned


def clean(data: bytes, place: int = 0) -> Clean:
    """``data`` as a stored photo; a 422 naming ``photos[place]`` when it is no JPEG, PNG or WebP
    image, or too large."""
    if len(data) > MAX_BYTES:
        raise refused(place, "larger than 5 MB", 413)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                kind = opened.format or ""
                if kind not in TYPES:
                    raise refused(place, "not a JPEG, PNG or WebP image")
                if opened.width * opened.height > MAX_PIXELS:
                    raise refused(place, "too many pixels")
                opened.load()
                image = _upright(opened)
            out = _encoded(image, kind)
    except Problem:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refused(place, "not a JPEG, PNG or WebP image") from None
    except (OSError, ValueError, SyntaxError, EOFError):  # truncated or broken inside
        raise refused(place, "not a readable image") from None
    return Clean(TYPES[kind], image.width, image.height, out)


def _encoded(image: Image.Image, kind: str) -> bytes:
    """The pixels alone, in the photo's own format (no ``exif``, ``icc_profile`` or text)."""
    image.info = {}  # what a save would otherwise carry over (WebP's EXIF and XMP, PNG's text)
    options: dict[str, Any] = {}
    if kind == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        options = {"quality": 85, "optimize": True}
    elif kind == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        options = {"quality": 85}
    elif image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        image = image.convert("RGBA")
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def new_id() -> str:
    return secrets.token_urlsafe(18)


def store(
    conn: Connection, province: str, record_id: str, cleaned: list[tuple[str, Clean]]
) -> None:
    """Keep a report's photos (``cleaned``: (id, photo) pairs), not public until an operator says."""
    if not cleaned:
        return
    at = now()
    conn.execute(
        insert(photos),
        [
            {
                "id": photo_id,
                "province_code": province,
                "record_id": record_id,
                "content_type": photo.content_type,
                "width": photo.width,
                "height": photo.height,
                "size": len(photo.data),
                "data": photo.data,
                "public": False,
                "created_at": at,
            }
            for photo_id, photo in cleaned
        ],
    )


def of_report(conn: Connection, record_id: str, photo_id: str) -> Any | None:
    """The photo ``photo_id`` when it belongs to the report ``record_id``."""
    query = select(photos).where(photos.c.id == photo_id, photos.c.record_id == record_id)
    return conn.execute(query).first()


def ids_of(conn: Connection, record_id: str) -> list[str]:
    query = (
        select(photos.c.id)
        .where(photos.c.record_id == record_id)
        .order_by(photos.c.created_at, photos.c.id)
    )
    return list(conn.execute(query).scalars())


def response(row: Any, public: bool = False) -> Response:
    """A stored photo as an answer (kept by the browser, by shared caches only when public)."""
    cache = "public, max-age=86400" if public else "private, max-age=3600"
    return Response(
        row.data,
        media_type=row.content_type,
        headers={"Cache-Control": cache, "Content-Disposition": "inline"},
    )


def public_photo(conn: Connection, photo_id: str) -> Any | None:
    """A photo anyone may see: made public by an operator, of a report whose answer is published."""
    query = (
        select(photos)
        .join(reports, reports.c.record_id == photos.c.record_id)
        .where(
            photos.c.id == photo_id,
            photos.c.public.is_(True),
            reports.c.published_at.is_not(None),
        )
    )
    return conn.execute(query).first()
