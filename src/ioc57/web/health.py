"""``/healthz`` (the process answers), ``/readyz`` (database reachable and writable, schema current),
``/metrics``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from ioc57.core.db import write_probe
from ioc57.core.migrate import is_current
from ioc57.web.metrics import CONTENT_TYPE

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz():
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request):
    engine = request.app.state.engine
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current = is_current(engine)
    except Exception as exc:  # the database is down: that is the answer, not an error
        return JSONResponse({"status": "unavailable", "database": str(exc)[:200]}, status_code=503)
    if not current:
        return JSONResponse({"status": "unavailable", "migrations": "not current"}, status_code=503)
    reason = write_probe(engine)  # a fresh connection takes the write lock, or says why not
    if reason is not None:
        return JSONResponse(
            {"status": "unavailable", "database": reason, "detail": f"writes fail: {reason}"},
            status_code=503,
        )
    return {"status": "ok", "database": "ok", "migrations": "current"}


@router.get("/metrics")
def metrics(request: Request):
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)
