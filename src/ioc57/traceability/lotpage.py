"""The public page of a lot at its GS1 Digital Link path, ``/01/{gtin}/10/{lot}``: what a buyer
who scans the QR code on the package reads (``lotview``), with no login; the QR code itself for
print (``/qr.svg``, ``/qr.png``); and for machines, the lot's GS1 linkset (``Accept:
application/json`` or ``?linkType=all``, as a GS1 resolver answers).

A GTIN of 8, 12 or 13 digits is sent on to its GTIN-14 address (301), so that each lot has one
URL. A GTIN with a wrong check digit, a lot no GS1 lot can be, or a lot that nothing names is a
404 page that says which (Vietnamese first). The page is small (no script but the map's) and may
be cached for a few minutes: a buyer on a slow phone in a market should see it at once.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.engine import Connection

from ioc57.core.clock import today
from ioc57.core.http import read_conn
from ioc57.core.i18n import N_, day, number
from ioc57.core.pages import page_lang, render
from ioc57.core.problems import Problem
from ioc57.traceability import epc
from ioc57.traceability.lotview import known, lot_view
from ioc57.traceability.qr import digital_link, qr_png, qr_svg
from ioc57.traceability.words import UOMS

router = APIRouter(include_in_schema=False)
Conn = Annotated[Connection, Depends(read_conn)]
PAGE_CACHE = "public, max-age=300"  # a new event shows within five minutes
QR_CACHE = "public, max-age=86400"  # a lot's URL never changes
GS1 = "https://gs1.org/voc/"
MISSING = {
    "gtin": N_("This code is not a valid product number (GTIN): its check digit is wrong."),
    "lot": N_("This is not a valid lot number."),
    "unknown": N_("No lot with this number has been recorded for this product."),
}


class NotALot(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _lot_key(gtin: str, lot: str) -> tuple[str, str]:
    """The GTIN-14 and lot of the path; NotALot when either cannot be one."""
    try:
        gtin14 = epc.gtin14(gtin[:20])
    except ValueError as exc:
        raise NotALot("gtin", f"gtin: {exc}") from None
    if not epc.LOT.match(lot):
        raise NotALot("lot", "lot: a lot has 1 to 20 characters of GS1's set")
    return gtin14, lot


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.query_params.get("linkType") == "all" or (
        "json" in accept and "text/html" not in accept
    )


def _missing(request: Request, exc: NotALot, gtin: str, lot: str) -> Response:
    if _wants_json(request):
        raise Problem(404, exc.detail)
    response = render(
        request, "lot_missing.html", status_code=404, reason=MISSING[exc.reason], gtin=gtin, lot=lot
    )
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def linkset(request: Request, gtin: str, lot: str, title: str) -> dict[str, Any]:
    """The lot's GS1 linkset (RFC 9264 in GS1's form): its page is the product information page,
    the default link and its traceability information."""
    url = digital_link(request, gtin, lot)
    page = [{"href": url, "title": title, "type": "text/html", "hreflang": ["vi", "en"]}]
    return {
        "linkset": [
            {
                "anchor": url,
                f"{GS1}defaultLink": page,
                f"{GS1}pip": page,
                f"{GS1}traceability": [{**page[0], "href": f"{url}#journey"}],
            }
        ]
    }


@router.get("/01/{gtin}/10/{lot}")
def lot_page(gtin: str, lot: str, request: Request, conn: Conn) -> Response:
    try:
        gtin14, lot = _lot_key(gtin, lot)
    except NotALot as exc:
        return _missing(request, exc, gtin[:20], lot[:40])
    if gtin14 != gtin:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(epc.digital_link_path(gtin14, lot) + query, status_code=301)
    view = lot_view(conn, gtin14, lot, today())
    if view is None:
        return _missing(request, NotALot("unknown", f"no lot {lot!r} of GTIN {gtin14}"), gtin, lot)
    title = view.product["name"] if view.product else gtin14
    if _wants_json(request):
        response: Response = JSONResponse(
            linkset(request, gtin14, lot, f"{title} · {lot}"),
            media_type="application/linkset+json",
        )
    else:
        response = render(
            request,
            "lot.html",
            view=view,
            day=day,
            num=number(page_lang(request)),
            url=digital_link(request, gtin14, lot),
            qr=epc.digital_link_path(gtin14, lot) + "/qr",
            uoms=UOMS,
        )
    response.headers["Cache-Control"] = PAGE_CACHE
    response.headers["Vary"] = "Accept, Cookie"
    response.headers["Link"] = (
        f'<{epc.digital_link_path(gtin14, lot)}?linkType=all>; rel="linkset"; '
        'type="application/linkset+json"'
    )
    return response


def _qr(request: Request, gtin: str, lot: str, conn: Connection) -> str:
    """The URL the QR code carries; 404 (plain: it is an image) when the page would be one."""
    try:
        gtin14, lot = _lot_key(gtin, lot)
    except NotALot as exc:
        raise Problem(404, exc.detail) from None
    if not known(conn, gtin14, lot):
        raise Problem(404, f"no lot {lot!r} of GTIN {gtin14}")
    return digital_link(request, gtin14, lot)


@router.get("/01/{gtin}/10/{lot}/qr.svg")
def lot_qr_svg(gtin: str, lot: str, request: Request, conn: Conn) -> Response:
    svg = qr_svg(_qr(request, gtin, lot, conn))
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": QR_CACHE})


@router.get("/01/{gtin}/10/{lot}/qr.png")
def lot_qr_png(gtin: str, lot: str, request: Request, conn: Conn) -> Response:
    png = qr_png(_qr(request, gtin, lot, conn))
    return Response(png, media_type="image/png", headers={"Cache-Control": QR_CACHE})
