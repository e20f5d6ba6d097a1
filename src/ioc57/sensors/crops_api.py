"""``/api/v1/crops`` and ``/api/v1/communes/{code}/crops``: the crops' salinity limits, and the
main crops of a commune, whose strictest limit its stations are held to.

Setting a commune's crops takes ``sensors.write`` within the person's scope (an officer: its own
commune) and is audited with the crops before and after.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.engine import Connection

from ioc57.core import audit
from ioc57.core.access import Principal, authorize, current_principal, optional_principal
from ioc57.core.clock import today
from ioc57.core.http import client_address, read_conn, write_conn
from ioc57.core.problems import Problem, field_error
from ioc57.sensors.crops import catalogue, crops_of, public_crop, set_crops, strictest_of
from ioc57.sensors.queries import READ, WRITE
from ioc57.units.queries import scope_chain, unit_at

router = APIRouter(prefix="/api/v1", tags=["sensors"])

UnitCode = Annotated[str, Path(max_length=40)]
COMMUNE_LEVELS = ("commune", "ward")


class CropsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # keys of ``GET /api/v1/crops``
    crops: list[Annotated[str, Field(max_length=40)]] = Field(max_length=30)


def commune_in_scope(conn: Connection, principal: Principal | None, code: str, action: str) -> Any:
    """The current commune ``code`` that ``principal`` may take ``action`` on (404: none)."""
    authorize(principal, action)
    row = unit_at(conn, code, today())
    if row is None or row.level not in COMMUNE_LEVELS:
        raise Problem(
            404,
            f"No current commune {code!r}.",
            errors=[{"loc": ["path", "code"], "msg": "not found"}],
        )
    authorize(principal, action, scope_chain(conn, row))
    return row


def commune_crops(conn: Connection, row: Any) -> dict[str, Any]:
    """A commune's main crops and the strictest salinity limit among them."""
    keys = crops_of(conn, [row.id]).get(row.id, [])
    known = catalogue()
    strictest = strictest_of(keys)
    return {
        "commune": row.code,
        "name": row.name,
        "crops": [public_crop(known[k]) for k in keys if k in known],
        "strictest": (
            {"limit": strictest.limit, "crops": list(strictest.crops)} if strictest else None
        ),
    }


@router.get("/crops")
def crops_list(principal: Annotated[Principal | None, Depends(optional_principal)]):
    """The crops whose salinity limits ioc57 knows, each with its source (Mekong Delta extension
    guidance)."""
    authorize(principal, READ)
    return {"items": [public_crop(c) for c in catalogue().values()]}


@router.get("/communes/{code}/crops")
def commune_crops_get(
    code: UnitCode,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
):
    """A commune's main crops, and the strictest salinity limit among them."""
    return commune_crops(conn, commune_in_scope(conn, principal, code, READ))


@router.put("/communes/{code}/crops")
def commune_crops_put(
    code: UnitCode,
    body: CropsBody,
    request: Request,
    conn: Annotated[Connection, Depends(write_conn)],
    principal: Annotated[Principal, Depends(current_principal)],
):
    """Set a commune's main crops (``{"crops": ["durian", "rice"]}``, keys of ``/api/v1/crops``):
    its stations are held to the strictest of their limits."""
    row = commune_in_scope(conn, principal, code, WRITE)
    known = catalogue()
    for index, key in enumerate(body.crops):
        if key not in known:
            raise field_error(f"crops.{index}", f"no crop {key!r}; see /api/v1/crops")
    before = commune_crops(conn, row)
    set_crops(conn, row.id, row.province_code, body.crops, simulated=False)
    after = commune_crops(conn, row)
    audit.record(
        conn,
        actor=principal.username,
        action="sensors.crops",
        object_type="commune_crops",
        object_id=row.code,
        before={"crops": [c["crop"] for c in before["crops"]]},
        after={"crops": [c["crop"] for c in after["crops"]]},
        address=client_address(request),
    )
    return after
