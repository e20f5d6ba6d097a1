"""GS1 master data as the gate validates it: products (GTIN), locations (GLN: farms, packing
houses, plants, with their certificates) and lots (GTIN and batch/lot)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ioc57.ingest.types.base import (
    Code,
    Day,
    RecordId,
    RecordModel,
    Text,
)
from ioc57.traceability import epc
from ioc57.traceability.eventmodel import Uom

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

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
    marks: list[ShortText] = Field(default_factory=list, max_length=20)  # protected marks, GIs
    certificates: list[Certificate] = Field(default_factory=list, max_length=20)

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
    certificates: list[Certificate] = Field(default_factory=list, max_length=20)
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
