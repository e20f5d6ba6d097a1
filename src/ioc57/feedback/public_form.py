"""``/phan-anh``: the public form where a citizen files a report — no login, Vietnamese first, made
for a phone: what it is about, what happened, photos, the place (on the map, the phone's position,
or an address, pre-2025 ones too), and a contact kept private.

Abuse without a third-party captcha: the attempts one client address makes per hour are counted
(``ratelimit``), the body is capped (5 photos of 5 MB, 64 KB of fields), a field hidden from people
catches scripts that fill every field, and photos are images only (``photos``). A refused form
comes back with what was typed and the reason beside its field (never a 500); a filed one sends
the citizen to the report's tracking page, which shows the tracking code once.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from ioc57.core import audit
from ioc57.core.access import check_csrf
from ioc57.core.clock import today
from ioc57.core.http import client_address
from ioc57.core.i18n import N_
from ioc57.core.pages import page_lang, render
from ioc57.core.problems import Problem
from ioc57.core.uploads import TooLarge, Upload
from ioc57.feedback import citizen_form, photos
from ioc57.feedback.categories import categories
from ioc57.feedback.citizen_map import map_points
from ioc57.feedback.intake import file_report
from ioc57.feedback.ratelimit import hit
from ioc57.feedback.tables import reports

router = APIRouter(include_in_schema=False)

ACTOR = "public:web"
FILED = "feedback.filed"  # the session's key of the tracking code just given
FORM_BYTES = 64 * 1024  # the fields and the parts' headers, beside the photos
FIELD_BYTES = 30_000  # one field (5,000 characters of Vietnamese in UTF-8, and some)
MAX_FIELDS = 20
MESSAGES = citizen_form.MESSAGES | {
    "photos.kind": N_("%(name)s is not a JPEG, PNG or WebP photo."),
    "photos.large": N_("%(name)s is over 5 MB: send a smaller photo."),
    "photos.many": N_("Send at most 5 photos."),
    "form.large": N_("The form is too large: send at most 5 photos of 5 MB each."),
    "form.bad": N_("The form could not be read; send it again."),
    "csrf": N_("The form had expired. Check it and send it again."),
    "rate": N_(
        "Too many reports were sent from this connection in the last hour. Try again in "
        "%(minutes)s min, or call hotline 1022."
    ),
}


class Refusal(Exception):
    """The form is shown again with ``errors`` (field -> (message key, values)), status ``status``."""

    def __init__(self, status: int, errors: dict[str, tuple[str, dict[str, Any]]]) -> None:
        super().__init__(status)
        self.status, self.errors = status, errors


def form_page(
    request: Request,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, tuple[str, dict[str, Any]]] | None = None,
    commune: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
):
    lang = page_lang(request)
    province = request.query_params.get("tinh", "")[:4] or None
    with request.app.state.engine.connect() as conn:
        points = map_points(request.app.state, conn, province)
    response = render(
        request,
        "public_form.html",
        status_code=status,
        categories=[(c.code, c.label(lang), c.description) for c in categories().values()],
        values=values or {},
        errors=errors or {},
        messages=MESSAGES,
        commune=commune,
        points=points,
        max_files=photos.MAX_FILES,
    )
    response.headers.update(headers or {})
    return response


@router.get("/phan-anh")
def form(request: Request):
    """The form, empty."""
    return form_page(request)


async def small_form(request: Request) -> dict[str, str]:
    """A form sent without files (application/x-www-form-urlencoded), capped at 64 KB."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_BYTES:
            raise Refusal(413, {"form": ("form.large", {})})
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise Refusal(400, {"form": ("form.bad", {})}) from None
    return dict(pairs)


async def _multipart(request: Request, upload: Upload) -> dict[str, str]:
    try:
        await upload.read(request, photos.MAX_BYTES)
    except TooLarge as exc:
        if exc.filename:
            raise Refusal(413, {"photos": ("photos.large", {"name": exc.filename})}) from None
        raise Refusal(413, {"form": ("form.large", {})}) from None
    except Problem as exc:
        if exc.errors and exc.errors[0].get("loc") == [photos.FIELD]:
            raise Refusal(422, {"photos": ("photos.many", {})}) from None
        raise Refusal(400, {"form": ("form.bad", {})}) from None
    return upload.fields


def _cleaned(upload: Upload) -> list[tuple[str, photos.Clean]]:
    """The photos sent, each re-encoded; a refusal naming the first that is not one."""
    found = []
    for place, kept in enumerate(upload.kept):
        try:
            found.append((photos.new_id(), photos.clean(kept.path.read_bytes(), place)))
        except Problem as exc:
            key = "photos.large" if exc.status == 413 else "photos.kind"
            raise Refusal(exc.status, {"photos": (key, {"name": kept.filename})}) from None
    return found


def _file(request: Request, read: citizen_form.Read, cleaned: list) -> str:
    """File the report, then keep its photos (audited): the tracking code."""
    fields = read.fields | {"photos": [photo_id for photo_id, _ in cleaned]}
    address = client_address(request)
    filed = file_report(request.app.state.gate, fields, "web", ACTOR, address)
    if cleaned:
        with request.app.state.engine.begin() as conn:
            province = conn.execute(
                select(reports.c.province_code).where(reports.c.record_id == filed.record_id)
            ).scalar_one()
            photos.store(conn, province, filed.record_id, cleaned)
            audit.record(
                conn,
                actor=ACTOR,
                action="feedback.photos",
                object_type="feedback",
                object_id=filed.record_id,
                after={"photos": [photo_id for photo_id, _ in cleaned]},
                address=address,
            )
    return filed.tracking


def _read(request: Request, raw: dict[str, str]) -> citizen_form.Read:
    with request.app.state.engine.connect() as conn:
        return citizen_form.read_form(conn, raw, today())


@router.post("/phan-anh")
async def submit(request: Request):
    """File the report; the form again with the reasons when it cannot be."""
    settings = request.app.state.settings
    try:
        hit(request.app.state, "intake", client_address(request), settings.feedback_intake_per_hour)
    except Problem as exc:
        minutes = max(1, -(-int(exc.headers["Retry-After"]) // 60))
        errors = {"form": ("rate", {"minutes": minutes})}
        return form_page(request, 429, errors=errors, headers=exc.headers)
    upload = Upload(photos.FIELD, photos.MAX_FILES, FIELD_BYTES, FORM_BYTES)
    raw: dict[str, str] = {}
    read = None
    try:
        if request.headers.get("content-type", "").startswith("multipart/"):
            raw = await _multipart(request, upload)
        else:
            raw = await small_form(request)
        try:
            check_csrf(request, raw.get("csrf_token"))
        except Problem:
            raise Refusal(403, {"form": ("csrf", {})}) from None
        read = await run_in_threadpool(_read, request, raw)
        if read.errors:
            status = 400 if citizen_form.HONEYPOT in read.errors else 422
            raise Refusal(status, {k: (v, {}) for k, v in read.errors.items()})
        cleaned = await run_in_threadpool(_cleaned, upload)
        code = await run_in_threadpool(_file, request, read, cleaned)
    except Refusal as refusal:
        values = read.values if read else {k: citizen_form.cleaned(raw.get(k)) for k in raw}
        commune = read.commune if read else None
        return form_page(request, refusal.status, values, refusal.errors, commune)
    finally:
        upload.discard()
    request.session[FILED] = code
    return RedirectResponse(f"/phan-anh/theo-doi/{code}", status_code=303)
