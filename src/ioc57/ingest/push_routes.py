"""``POST /api/v1/ingest/<type>``: one operation per record type, so that the OpenAPI document
gives each type's request body its own schema.

Why one path per type rather than one path whose body is a ``oneOf`` of every record: the type is
named by the path, not by the records (they carry no field that says their type), so an OpenAPI
``discriminator`` has nothing to read, and a ``oneOf`` without one is ambiguous (records allow
fields beyond their own, so a record may fit several types). With a path per type, an integrator's
generated client has a typed function per type, the interactive docs show each type's form and
example, and schemathesis fuzzes each type's real fields. Each operation is the generic
``/api/v1/ingest/{record_type}`` bound to its type (same answer, same errors); that one stays for
scripts that name the type in a variable.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from ioc57.core.access import Principal, current_principal
from ioc57.ingest.api import push
from ioc57.ingest.contract import record_schemas, record_types, request_body

Endpoint = Callable[..., Awaitable[dict[str, Any]]]


def _endpoint(name: str) -> Endpoint:
    async def endpoint(
        request: Request,
        principal: Annotated[Principal, Depends(current_principal)],
        source: Annotated[str | None, Query(max_length=60)] = None,
    ) -> dict[str, Any]:
        return await push(name, request, principal, source)

    return endpoint


def push_router() -> APIRouter:
    """A router with the push of each installed record type (the types are known once
    ``modules.load()`` has registered them, when the app is made)."""
    router = APIRouter(prefix="/api/v1", tags=["records"])
    refs, _components = record_schemas()  # the components are added to the whole document
    for rtype in record_types():
        doc = (rtype.model.__doc__ or "").strip()
        router.add_api_route(
            f"/ingest/{rtype.name}",
            _endpoint(rtype.name),
            methods=["POST"],
            name=f"ingest_push_{rtype.name}",
            operation_id=f"ingest_push_{rtype.name}",
            summary=f"Push {rtype.name} records",
            description=(
                f"Push a batch of `{rtype.name}` records; the gate answers with what it accepted "
                "and each rejected row with its reasons. A data source's token sends its own "
                "records (`source` may be left out); an admin names the source (`?source=`)."
                + (f"\n\n{doc}" if doc else "")
            ),
            openapi_extra={"requestBody": request_body(refs[rtype.name], rtype.name)},
            response_model=None,
        )
    return router
