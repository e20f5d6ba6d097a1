"""Validation: rows read as records of a type, their units resolved, their rollup contributions
computed; or rejected, one row alone, with the errors its writer needs to correct it.

A ``Validator`` needs only the units (``UnitCache`` and ``Places``), so that a worker process can
validate chunks with one of its own (``chunks``).
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import date, datetime
from typing import Any, NamedTuple, cast

import orjson
from pydantic import ValidationError

from ioc57.core.access import WriteGrant
from ioc57.core.clock import now
from ioc57.core.i18n import N_
from ioc57.core.messages import entry, message
from ioc57.ingest import hooks
from ioc57.ingest.batches import Report, Source
from ioc57.ingest.types import RecordType
from ioc57.ingest.types.base import AT, Contribution, RecordModel
from ioc57.ingest.unitcache import Places, UnitCache, UnitInfo

log = logging.getLogger(__name__)

# a row's errors, as the API lists them (English ``msg``, ``code``, ``params``) and pages say them
NOT_JSON = message("ingest.not_json", N_("line {line} is not JSON: {reason}"))
NOT_AN_OBJECT = message("ingest.not_an_object", N_("a record must be a JSON object"))
UNKNOWN_FIELDS = message("ingest.unknown_fields", N_("unknown fields ignored"))
UNIT_UNKNOWN = message("ingest.unit_unknown", N_("no unit has code '{code}' on {day}"))
AGENCY_UNKNOWN = message("ingest.agency_unknown", N_("no agency has code '{code}'"))
UNIT_MISSING = message("ingest.unit_missing", N_("the unit is missing and cannot be derived"))
OUTSIDE_SOURCE = message("ingest.outside_source", N_("{code} is outside the source's units"))
OUTSIDE_SCOPE = message("ingest.outside_scope", N_("{code} is outside your scope"))
UNPROCESSABLE = message("ingest.unprocessable", N_("cannot be processed: {reason}"))


class RowError(Exception):
    """A row that could not even be read (bad JSON line, bad CSV cell)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["msg"] if errors else "unreadable")
        self.errors = errors

    def __reduce__(self) -> tuple[type[RowError], tuple[list[dict[str, Any]]]]:
        return (RowError, (self.errors,))  # sent to worker processes with the rows


class Candidate(NamedTuple):
    """A valid record, ready to be compared with the stored one and written."""

    index: int  # type: ignore[assignment]  # the row's index (a field hides tuple.index)
    key: str
    # the record; None when it comes from a worker process (json and shares hold it)
    data: dict[str, Any] | None
    updated_at: datetime
    hash: str
    unit_id: int | None
    agency_id: int | None
    province: str
    occurred_on: date
    json: str  # the record as stored
    shares: list[Contribution]  # its rollup contributions


class Validated(NamedTuple):
    """What validation makes of a list of rows."""

    candidates: list[Candidate]
    rejected: list[Report]
    warnings: list[Report]


class Validator:
    """Validates rows against the units of ``cache``; ``places`` derives a unit where a record
    type does (``RecordType.derive_unit``)."""

    def __init__(self, cache: UnitCache, places: Places) -> None:
        self.cache = cache
        self.places = places

    def validate(
        self,
        source: Source,
        rtype: RecordType[Any],
        rows: list[tuple[int, Any]],
        grant: WriteGrant,
        shipped: bool = False,
    ) -> Validated:
        """Candidates, rejected rows and warnings of ``rows`` written under ``grant``; ``shipped``
        candidates carry their json and rollup contributions without the record (to be sent from
        a worker process).

        A row that fails anywhere on its way, in its model, its units (the writer's scope among
        them), the modules' checks or its rollup contributions, is rejected alone: the rows around
        it go on."""
        candidates: list[Candidate] = []
        rejected: list[Report] = []
        warnings: list[Report] = []
        received = now()
        stamp = received.isoformat()
        context = {AT: received}  # the time the validators compare with (``types.base.moment``)
        validate = rtype.model.model_validate
        as_of = rtype.as_of
        contributions = rtype.contributions
        public = rtype.without_private  # a rejected row is kept without a person's details
        loads, dumps = orjson.loads, orjson.dumps
        sort_keys, blake2b = orjson.OPT_SORT_KEYS, hashlib.blake2b
        same: dict[Contribution, Contribution] = {}  # one object for equal contributions
        one = same.setdefault
        for index, row in rows:
            if isinstance(row, bytes):  # an NDJSON line
                try:
                    row = loads(row)
                except orjson.JSONDecodeError as exc:
                    row = RowError([entry(NOT_JSON, [], line=index + 1, reason=str(exc))])
                else:
                    if not isinstance(row, dict):
                        row = RowError([entry(NOT_AN_OBJECT, [])])
            if isinstance(row, RowError):
                rejected.append({"index": index, "id": None, "errors": row.errors})
                continue
            # everything that one row costs, from its model to its rollup contributions, happens
            # here, so that whatever goes wrong with a row rejects that row and no other
            data = None
            try:
                record = validate(row, context=context)
                extra = record.model_extra
                data = record.model_dump(mode="json", exclude=set(extra) if extra else None)
                day = as_of(record)
                unit, agency = self._units(source, grant, rtype, record, data, day)
                updated_at = record.updated_at or received
                data.pop("updated_at", None)
                digest = blake2b(dumps(data, option=sort_keys), digest_size=16).hexdigest()
                # most records have none of their own: the time received, written once
                data["updated_at"] = stamp if updated_at is received else updated_at.isoformat()
                shares = [one(share, share) for share in contributions(data)]
                candidate = Candidate(
                    index,
                    data["id"],
                    None if shipped else data,
                    updated_at,
                    digest,
                    unit.id if unit else None,
                    agency.id if agency else None,
                    cast(UnitInfo, unit or agency).province_code,  # one or the other
                    day,
                    dumps(data).decode(),
                    shares,
                )
            except Exception as exc:
                rejected.append(_rejected(index, public(row), data, exc))
                continue
            if extra:
                warnings.append(
                    {
                        "index": index,
                        "id": data["id"],
                        "msg": UNKNOWN_FIELDS.english(),
                        "code": UNKNOWN_FIELDS.code,
                        "fields": sorted(extra),
                    }
                )
            candidates.append(candidate)
        return Validated(candidates, rejected, warnings)

    def _units(
        self,
        source: Source,
        grant: WriteGrant,
        rtype: RecordType[Any],
        record: RecordModel,
        data: dict[str, Any],
        day: date,
    ) -> tuple[UnitInfo | None, UnitInfo | None]:
        """The record's unit and agency on ``day``, within the source's and the writer's scope;
        then the modules' checks. Raises ``RowError``."""
        cache = self.cache
        unit = agency = None
        code = data.get("unit")
        if code:
            unit = cache.at(code, day)
            if unit is None:
                raise RowError([entry(UNIT_UNKNOWN, ["unit"], code=code, day=day.isoformat())])
        elif rtype.derive_unit is not None:
            # the cache's own units: ``Places`` gives them
            unit = cast(UnitInfo | None, rtype.derive_unit(record, self.places))
            if unit is not None:
                data["unit"] = unit.code
                data["unit_derived"] = True
        if data.get("agency"):
            agency = cache.at(data["agency"], day)
            if agency is None or agency.level != "agency":
                raise RowError([entry(AGENCY_UNKNOWN, ["agency"], code=data["agency"])])
        if unit is None and agency is None:
            # a record that names no unit and whose place says none counts in its source's unit,
            # when the source has only one (a province's 1022 platform); a source of several
            # (people entering data, for every province) cannot say which
            if rtype.unit_required or len(source.unit_codes) != 1:
                raise RowError([entry(UNIT_MISSING, ["unit"])])
            unit = cache.at(source.unit_codes[0], day) or cache.at(
                source.unit_codes[0], now().date()
            )
        for field_name, info in (("unit", unit), ("agency", agency)):
            if info is None:
                continue
            if not (info.scope & source.scope):
                raise RowError([entry(OUTSIDE_SOURCE, [field_name], code=info.code)])
            if grant.unit_error(field_name, info.code, info.scope):
                raise RowError([entry(OUTSIDE_SCOPE, [field_name], code=info.code)])
        for check in hooks.checks(rtype.name):
            errors = check(data)
            if errors:
                raise RowError(errors)
        return unit, agency


def _rejected(index: int, row: Any, data: dict[str, Any] | None, exc: Exception) -> Report:
    """A rejected row: its errors, and the row as sent (cut short) for the errors file."""
    if isinstance(exc, ValidationError):
        errors = _errors(exc)
    elif isinstance(exc, RowError):
        errors = exc.errors
    else:  # a row no check foresaw: rejected alone, and logged for whoever looks for the cause
        log.warning("row %s rejected: %r", index, exc, exc_info=exc)
        errors = [entry(UNPROCESSABLE, ["__root__"], reason=type(exc).__name__)]
    # the id as read, when the row is valid as a record
    record_id = (
        data["id"] if data is not None else (row.get("id") if isinstance(row, dict) else None)
    )
    return {
        "index": index,
        "id": record_id,
        "errors": errors,
        "_row": _as_sent(row),
    }


def _as_sent(row: Any) -> str:
    """The row as sent, as JSON cut short (as text when even that fails: an integer over 64 bits)."""
    try:
        return orjson.dumps(row, default=str).decode()[:10_000]
    except TypeError:
        return repr(row)[:10_000]


# a check of the whole record names the field at fault first: "parentID: an AggregationEvent …"
_FIELD_FIRST = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*): (.+)$", re.DOTALL)


def _errors(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors as row errors: pydantic's ``type`` (or a record type's own message
    code, ``ingest.types.base.invalid``) is the ``code``, its ``ctx`` the ``params``."""
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = [str(p) for p in err["loc"]]
        msg = err["msg"].removeprefix("Value error, ")
        named = _FIELD_FIRST.match(msg) if not loc else None
        if named:
            loc, msg = [named[1]], named[2]
        said: dict[str, Any] = {"loc": loc or ["__root__"], "msg": msg}
        if err["type"] != "value_error":  # a bare ValueError's sentence has no code
            said["code"] = err["type"]
            if err.get("ctx"):
                said["params"] = {k: _param(v) for k, v in err["ctx"].items()}
        out.append(said)
    return out


def _param(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
