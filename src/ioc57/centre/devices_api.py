"""``/api/v1/devices``: wall displays' device keys, issued and revoked by an admin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field
from sqlalchemy.engine import Connection

from ioc57.accounts import devices
from ioc57.core.access import Principal, require
from ioc57.core.http import read_conn, write_conn

router = APIRouter(prefix="/api/v1", tags=["centre"])


class DeviceIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="What the display is, where.")
    unit: str | None = Field(
        default=None, max_length=40, description="The unit it shows (none: the whole country)."
    )
    layout: str = Field(default="", max_length=60, description="The wall layout it opens.")


@router.get("/devices")
def devices_list(
    _: Annotated[Principal, Depends(require("centre.devices"))],
    conn: Annotated[Connection, Depends(read_conn)],
):
    """Every wall display's device (never its key: its prefix names it), newest first."""
    items = [devices.public(item) for item in devices.list_devices(conn)]
    return {"items": items, "total": len(items)}


@router.post("/devices", status_code=201)
def devices_create(
    body: DeviceIn,
    principal: Annotated[Principal, Depends(require("centre.devices"))],
    conn: Annotated[Connection, Depends(write_conn)],
):
    """Issue a read-only device key for a wall display; the key is shown this once only. The
    display enters it at ``/wall/connect``."""
    item, key = devices.create_device(
        conn,
        actor=principal.username,
        name=body.name,
        unit_id=devices.unit_id_of(conn, body.unit),
        layout=body.layout,
        created_by=principal.id,
    )
    return devices.public(item) | {"key": key}


@router.delete("/devices/{device_id}")
def devices_revoke(
    device_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    principal: Annotated[Principal, Depends(require("centre.devices"))],
    conn: Annotated[Connection, Depends(write_conn)],
):
    """Revoke a device key: the display reads nothing more, and its open stream ends."""
    item = devices.revoke_device(conn, actor=principal.username, device_id=device_id)
    return devices.public(item)
