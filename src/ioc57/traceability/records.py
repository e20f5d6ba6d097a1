"""The traceability record types at the gate: master data (``trace_product``, ``trace_location``,
``trace_lot``) and EPCIS 2.0 events (``epcis_event``), one event a record.

An event is validated as EPCIS 2.0 (section 7 of the standard) and CBV 2.0 define it: the fields
of its type and no other, the action where the type has one, the identifiers as URIs, the CBV words
bare or as URIs, the times with their offset. A field of the sender's own is namespaced
(``ex:grade``, its prefix defined in the document's ``@context``) and kept as sent. An event
without an ``eventID`` gets its event hash (``eventhash``), so that the same event sent twice is
one record; an event sent again with an ``errorDeclaration`` (same hash: the declaration is no part
of it) updates the stored one.

Master data names the unit it belongs to (``unit``: a commune, or a province for a product); an
event's unit is the commune of its location, filled in by the capture endpoint from the locations
(``capture``), or named by a source that pushes events through the gate itself.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ioc57.core.clock import today
from ioc57.ingest.types.base import (
    Code,
    Day,
    PastTime,
    RecordId,
    RecordModel,
    RecordType,
    Text,
    Time,
)
from ioc57.traceability import epc
from ioc57.traceability.vocab import ACTIONS, EVENT_TYPES, is_known

URI = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=3,
        max_length=300,
        pattern=r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$",
    ),
]
Offset = Annotated[str, StringConstraints(pattern=r"^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$")]
Uom = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{2,3}$")]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
MAX_IDS = 10_000  # identifiers in one list of an event: beyond any real pallet or shipment

CATEGORIES = (
    "durian",
    "dragon_fruit",
    "mango",
    "coconut",
    "pomelo",
    "longan",
    "rice",
    "cashew",
    "pepper",
    "rubber",
    "coffee",
    "seafood",
    "fruit",
    "other",
)
LOCATION_KINDS = (
    "farm",
    "packing_house",
    "processing_plant",
    "warehouse",
    "port",
    "store",
    "other",
)
CERTIFICATES = ("VietGAP", "GlobalGAP", "organic", "HACCP", "ISO22000", "BRC", "OCOP", "other")


def _cbv(kind: str):
    def check(value: str | None) -> str | None:
        if value is not None and not is_known(kind, value):
            raise ValueError(f"{value!r} is neither a CBV 2.0 word nor a URI")
        return value

    return check


# -- master data -------------------------------------------------------------------------------


class Certificate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    scheme: Literal[CERTIFICATES]  # type: ignore[valid-type]
    number: ShortText
    issuer: ShortText
    valid_from: Day
    valid_to: Day

    @model_validator(mode="after")
    def _span(self) -> Certificate:
        if self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class Product(RecordModel):
    id: RecordId | None = None  # type: ignore[assignment]  # its GTIN when none is sent
    gtin: str
    name: ShortText
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    business: ShortText  # the producing business (a company or cooperative)
    tax_code: Annotated[str, StringConstraints(pattern=r"^\d{10}(-\d{3})?$")]
    unit: Code  # where the business is: a commune, or its province
    ocop_stars: int | None = Field(default=None, ge=3, le=5)
    marks: list[ShortText] = Field(default=[], max_length=20)  # protected marks, GIs
    certificates: list[Certificate] = Field(default=[], max_length=20)

    @field_validator("gtin")
    @classmethod
    def _gtin(cls, value: str) -> str:
        return epc.gtin14(value)

    @model_validator(mode="after")
    def _default_id(self) -> Product:
        self.id = self.id or self.gtin
        return self


class Location(RecordModel):
    id: RecordId | None = None  # type: ignore[assignment]  # its GLN when none is sent
    gln: str
    name: ShortText
    kind: Literal[LOCATION_KINDS]  # type: ignore[valid-type]
    unit: Code  # the commune it lies in
    lat: float | None = Field(default=None, ge=8.0, le=23.5)  # within Vietnam's mainland
    lon: float | None = Field(default=None, ge=102.0, le=110.0)
    address: Text | None = None
    planting_area_code: Annotated[str, StringConstraints(max_length=40)] | None = (
        None  # mã số vùng trồng
    )
    operator: ShortText | None = None  # the business or household that runs it
    certificates: list[Certificate] = Field(default=[], max_length=20)
    # a person to call about it: kept with the record, never published
    contact: Annotated[str, StringConstraints(max_length=200)] | None = None

    @field_validator("gln")
    @classmethod
    def _gln(cls, value: str) -> str:
        return epc.gln13(value)

    @model_validator(mode="after")
    def _default_id(self) -> Location:
        self.id = self.id or self.gln
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class Lot(RecordModel):
    id: RecordId | None = None  # type: ignore[assignment]  # "{gtin}/{lot}" when none is sent
    gtin: str
    lot: Annotated[str, StringConstraints(pattern=epc.LOT.pattern)]
    unit: Code  # the commune it was grown or made in
    origin: str | None = None  # the GLN of the farm or plant it comes from
    harvested_on: Day | None = None
    produced_on: Day | None = None
    best_before: Day | None = None
    quantity: float | None = Field(default=None, ge=0)
    uom: Uom | None = None

    @field_validator("gtin")
    @classmethod
    def _gtin(cls, value: str) -> str:
        return epc.gtin14(value)

    @field_validator("origin")
    @classmethod
    def _origin(cls, value: str | None) -> str | None:
        return epc.gln13(value) if value is not None else None

    @model_validator(mode="after")
    def _default_id(self) -> Lot:
        self.id = self.id or f"{self.gtin}/{self.lot}"
        return self


# -- EPCIS events ------------------------------------------------------------------------------


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Quantity(Strict):
    epcClass: URI
    quantity: float | None = Field(default=None, ge=0)
    uom: Uom | None = None

    @model_validator(mode="after")
    def _uom_with_quantity(self) -> Quantity:
        if self.uom is not None and self.quantity is None:
            raise ValueError("a uom needs a quantity")
        return self


class Place(Strict):
    id: URI


class BizTransaction(Strict):
    type: str | None = None
    bizTransaction: URI

    _type = field_validator("type")(_cbv("bizTransaction"))


class Source(Strict):
    type: str
    source: URI

    _type = field_validator("type")(_cbv("sourceDest"))


class Destination(Strict):
    type: str
    destination: URI

    _type = field_validator("type")(_cbv("sourceDest"))


class PersistentDisposition(Strict):
    set: list[str] = Field(default=[], max_length=50)
    unset: list[str] = Field(default=[], max_length=50)

    @field_validator("set", "unset")
    @classmethod
    def _words(cls, values: list[str]) -> list[str]:
        for value in values:
            _cbv("disposition")(value)
        return values


class ErrorDeclaration(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    declarationTime: Time
    reason: str | None = None
    correctiveEventIDs: list[URI] = Field(default=[], max_length=100)

    _reason = field_validator("reason")(_cbv("errorReason"))


class SensorReport(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str | None = None
    value: float | None = None
    minValue: float | None = None
    maxValue: float | None = None
    meanValue: float | None = None
    uom: Uom | None = None
    time: Time | None = None
    deviceID: URI | None = None


class SensorElement(BaseModel):
    model_config = ConfigDict(extra="allow")

    sensorMetadata: dict[str, Any] | None = None
    sensorReport: list[SensorReport] = Field(min_length=1, max_length=1_000)


Ids = list[URI]
Quantities = list[Quantity]

# the fields each type of event may have, beyond those every event has (EPCIS 2.0, section 7.4)
COMMON = {
    "type",
    "id",
    "unit",
    "context",
    "extensions",
    "eventTime",
    "eventTimeZoneOffset",
    "certificationInfo",
    "bizStep",
    "disposition",
    "persistentDisposition",
    "readPoint",
    "bizLocation",
    "bizTransactionList",
    "sourceList",
    "destinationList",
    "sensorElementList",
    "errorDeclaration",
    "updated_at",
}
FIELDS = {
    "ObjectEvent": {"action", "epcList", "quantityList", "ilmd"},
    "AggregationEvent": {"action", "parentID", "childEPCs", "childQuantityList"},
    "AssociationEvent": {"action", "parentID", "childEPCs", "childQuantityList"},
    "TransactionEvent": {"action", "parentID", "epcList", "quantityList"},
    "TransformationEvent": {
        "transformationID",
        "inputEPCList",
        "inputQuantityList",
        "outputEPCList",
        "outputQuantityList",
        "ilmd",
    },
}


class EpcisEvent(RecordModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    # its ``eventID`` as sent, else its event hash
    id: RecordId | None = Field(  # type: ignore[assignment]
        default=None, validation_alias=AliasChoices("eventID", "id")
    )
    type: Literal[EVENT_TYPES]  # type: ignore[valid-type]
    unit: Code | None = None  # the commune of its location (``capture`` fills it in)
    context: Any = Field(default=None, validation_alias=AliasChoices("@context", "context"))
    extensions: dict[str, Any] = {}  # the sender's own fields, by their namespaced names
    eventTime: PastTime
    eventTimeZoneOffset: Offset
    certificationInfo: URI | list[URI] | None = None
    action: Literal[ACTIONS] | None = None  # type: ignore[valid-type]
    parentID: URI | None = None
    epcList: Ids = Field(default=[], max_length=MAX_IDS)
    quantityList: Quantities = Field(default=[], max_length=MAX_IDS)
    childEPCs: Ids = Field(default=[], max_length=MAX_IDS)
    childQuantityList: Quantities = Field(default=[], max_length=MAX_IDS)
    inputEPCList: Ids = Field(default=[], max_length=MAX_IDS)
    inputQuantityList: Quantities = Field(default=[], max_length=MAX_IDS)
    outputEPCList: Ids = Field(default=[], max_length=MAX_IDS)
    outputQuantityList: Quantities = Field(default=[], max_length=MAX_IDS)
    transformationID: URI | None = None
    bizStep: str | None = None
    disposition: str | None = None
    persistentDisposition: PersistentDisposition | None = None
    readPoint: Place | None = None
    bizLocation: Place | None = None
    bizTransactionList: list[BizTransaction] = Field(default=[], max_length=100)
    sourceList: list[Source] = Field(default=[], max_length=100)
    destinationList: list[Destination] = Field(default=[], max_length=100)
    sensorElementList: list[SensorElement] = Field(default=[], max_length=1_000)
    ilmd: dict[str, Any] | None = None
    errorDeclaration: ErrorDeclaration | None = None

    _biz_step = field_validator("bizStep")(_cbv("bizStep"))
    _disposition = field_validator("disposition")(_cbv("disposition"))

    @model_validator(mode="wrap")
    @classmethod
    def _event(cls, data: Any, handler: Any) -> EpcisEvent:
        raw = data
        if isinstance(data, dict):
            # the sender's own fields (namespaced) aside; any other unknown field is an error
            own = {k: v for k, v in data.items() if ":" in k and not k.startswith("@")}
            if own:
                data = {k: v for k, v in data.items() if k not in own}
                data["extensions"] = {**(data.get("extensions") or {}), **own}
        event = handler(data)
        if event.id is None:
            from ioc57.traceability.eventhash import event_hash  # its package, when first used

            event.id = event_hash(as_sent(raw), event.context)
        return event

    @model_validator(mode="after")
    def _rules(self) -> EpcisEvent:
        allowed = COMMON | FIELDS[self.type]
        for name in type(self).model_fields:
            if name not in allowed and getattr(self, name) not in (None, [], {}):
                raise ValueError(f"{name}: not a field of an {self.type}")
        kind = self.type
        if kind != "TransformationEvent" and self.action is None:
            raise ValueError(f"action: an {kind} has one (ADD, OBSERVE or DELETE)")
        if kind == "ObjectEvent":
            if not self.epcList and not self.quantityList:
                raise ValueError("epcList: an ObjectEvent names at least one EPC or quantity")
            if self.ilmd and self.action != "ADD":
                raise ValueError("ilmd: only an ObjectEvent whose action is ADD carries it")
        elif kind in ("AggregationEvent", "AssociationEvent"):
            if self.parentID is None and (kind == "AssociationEvent" or self.action != "OBSERVE"):
                raise ValueError(f"parentID: an {kind} with action {self.action} has one")
            if not self.childEPCs and not self.childQuantityList and self.action != "DELETE":
                raise ValueError(f"childEPCs: an {kind} names at least one child")
        elif kind == "TransactionEvent":
            if not self.bizTransactionList:
                raise ValueError("bizTransactionList: a TransactionEvent names its transaction")
        elif not (
            self.inputEPCList
            or self.inputQuantityList
            or self.outputEPCList
            or self.outputQuantityList
        ):
            raise ValueError("inputEPCList: a TransformationEvent has inputs or outputs")
        return self


def as_sent(row: dict[str, Any]) -> dict[str, Any]:
    """The event of a row as its sender wrote it (the extensions kept apart put back)."""
    event = {k: v for k, v in row.items() if k != "extensions"}
    event.update(row.get("extensions") or {})
    return event


def today_as_of(_record: RecordModel) -> date:
    """Master data and events name their units as they are today (the location's commune)."""
    return today()


def no_contributions(_data: dict):
    """Traceability adds nothing to the gate's rollups: the module keeps its own tables."""
    return iter(())


def _type(name: str, model: type, **kw: Any) -> RecordType:
    return RecordType(
        name=name,
        model=model,
        as_of=today_as_of,
        contributions=no_contributions,
        write_action="traceability.write",
        entered=True,
        **kw,
    )


PRODUCT = _type("trace_product", Product)
LOCATION = _type("trace_location", Location, private=("contact",))
LOT = _type("trace_lot", Lot)
EVENT = _type("epcis_event", EpcisEvent)
