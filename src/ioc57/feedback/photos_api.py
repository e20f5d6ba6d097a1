"""``/api/v1/feedback/reports/{id}/photos/{photo_id}``: a report's photo for staff who may read the
report (``feedback.read``, in their scope)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, optional_principal
from ioc57.core.http import read_conn
from ioc57.feedback import photos
from ioc57.feedback.access import READ, not_found, report_for

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])

ReportId = Annotated[str, Path(min_length=1, max_length=200)]
PhotoId = Annotated[str, Path(min_length=1, max_length=40)]


BINARY = {"type": "string", "format": "binary"}
DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {"content": {kind: {"schema": BINARY} for kind in photos.TYPES.values()}}
}


@router.get("/reports/{report_id}/photos/{photo_id}", response_class=Response, responses=DOWNLOAD)
def report_photo(
    report_id: ReportId,
    photo_id: PhotoId,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
):
    """A photo of the report, as stored (re-encoded without its metadata)."""
    row = report_for(conn, principal, READ, report_id)
    photo = photos.of_report(conn, row.record_id, photo_id)
    if photo is None:
        raise not_found(photo_id, "photo_id")
    return photos.response(photo)
