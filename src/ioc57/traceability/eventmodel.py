"""An EPCIS 2.0 event as the gate validates it (EPCIS 2.0 section 7, CBV 2.0): the fields of its
type and no other, the action where the type has one, identifiers as URIs, CBV words bare or as
URIs, times with their offset; a sender's own fields namespaced and kept as sent; an event without
an ``eventID`` named by its event hash (``eventhash``)."""

from __future__ import annotations

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

from ioc57.ingest.types.base import (
    Code,
    PastTime,
    RecordId,
    RecordModel,
    Time,
)
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
MAX_IDS = 10_000  # identifiers in one list of an event: beyond any real pallet or shipment


def _cbv(kind: str):
    def check(value: str | None) -> str | None:
        if value is not None and not is_known(kind, value):
            raise ValueError(f"{value!r} is neither a CBV 2.0 word nor a URI")
        return value

    return check


# -- master data -------------------------------------------------------------------------------


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
    set: list[str] = Field(default_factory=list, max_length=50)
    unset: list[str] = Field(default_factory=list, max_length=50)

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
    correctiveEventIDs: list[URI] = Field(default_factory=list, max_length=100)

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
    extensions: dict[str, Any] = Field(
        default_factory=dict
    )  # the sender's own fields, by their namespaced names
    eventTime: PastTime
    eventTimeZoneOffset: Offset
    certificationInfo: URI | list[URI] | None = None
    action: Literal[ACTIONS] | None = None  # type: ignore[valid-type]
    parentID: URI | None = None
    epcList: Ids = Field(default_factory=list, max_length=MAX_IDS)
    quantityList: Quantities = Field(default_factory=list, max_length=MAX_IDS)
    childEPCs: Ids = Field(default_factory=list, max_length=MAX_IDS)
    childQuantityList: Quantities = Field(default_factory=list, max_length=MAX_IDS)
    inputEPCList: Ids = Field(default_factory=list, max_length=MAX_IDS)
    inputQuantityList: Quantities = Field(default_factory=list, max_length=MAX_IDS)
    outputEPCList: Ids = Field(default_factory=list, max_length=MAX_IDS)
    outputQuantityList: Quantities = Field(default_factory=list, max_length=MAX_IDS)
    transformationID: URI | None = None
    bizStep: str | None = None
    disposition: str | None = None
    persistentDisposition: PersistentDisposition | None = None
    readPoint: Place | None = None
    bizLocation: Place | None = None
    bizTransactionList: list[BizTransaction] = Field(default_factory=list, max_length=100)
    sourceList: list[Source] = Field(default_factory=list, max_length=100)
    destinationList: list[Destination] = Field(default_factory=list, max_length=100)
    sensorElementList: list[SensorElement] = Field(default_factory=list, max_length=1_000)
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
        for name in FIELD_NAMES:
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


# read once: a model's field names, read from the class at each event, cost pydantic a lookup
FIELD_NAMES = tuple(EpcisEvent.model_fields)


def as_sent(row: dict[str, Any]) -> dict[str, Any]:
    """The event of a row as its sender wrote it (the extensions kept apart put back)."""
    event = {k: v for k, v in row.items() if k != "extensions"}
    event.update(row.get("extensions") or {})
    return event
