"""The QR code a lot's package carries: its GS1 Digital Link URL on this host, drawn by segno for
print (SVG for a printer's layout, PNG for anything else).

The URL is absolute: the host the request came to (behind a reverse proxy, the one it forwards,
``IOC57_TRUSTED_PROXIES``), then ``/01/{gtin}/10/{lot}``. Error correction level M (15 %) keeps
the code readable through a scuffed or wet label at a size a box can carry.
"""

from __future__ import annotations

import io

import segno
from fastapi import Request

from ioc57.traceability.epc import digital_link_path


def digital_link(request: Request, gtin: str, lot: str) -> str:
    """The absolute Digital Link URL of a lot's public page on this host."""
    return str(request.base_url).rstrip("/") + digital_link_path(gtin, lot)


def qr_svg(url: str) -> bytes:
    """The QR code of ``url`` as an SVG document that scales, printed 1 mm a module (about 4 cm
    wide with its quiet zone) unless the layout sizes it."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=1, unit="mm", border=4, title=url, svgclass=None, lineclass=None
    )
    return out.getvalue()


def qr_png(url: str, scale: int = 10) -> bytes:
    """The QR code of ``url`` as a PNG of ``scale`` pixels a module (about 4 cm at 300 dpi)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
