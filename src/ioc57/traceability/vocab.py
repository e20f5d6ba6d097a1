"""The words of GS1's Core Business Vocabulary (CBV) 2.0 that EPCIS events use, as bare values.

An event may name a business step, a disposition, a business transaction type, a source or
destination type or an error reason by its bare CBV value (``shipping``) or by its full URI
(``https://ref.gs1.org/cbv/BizStep-shipping``); any other URI is a vocabulary of the sender's own.
"""

from __future__ import annotations

CBV = "https://ref.gs1.org/cbv/"
GS1_VOC = "https://gs1.org/voc/"

EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransformationEvent",
    "AssociationEvent",
    "TransactionEvent",
)
ACTIONS = ("ADD", "OBSERVE", "DELETE")

BIZ_STEPS = frozenset(
    [
        "accepting",
        "arriving",
        "assembling",
        "collecting",
        "commissioning",
        "consigning",
        "creating_class_instance",
        "cycle_counting",
        "decommissioning",
        "departing",
        "destroying",
        "disassembling",
        "dispensing",
        "encoding",
        "entering_exiting",
        "holding",
        "inspecting",
        "installing",
        "killing",
        "loading",
        "other",
        "packing",
        "picking",
        "receiving",
        "removing",
        "repackaging",
        "repairing",
        "replacing",
        "reserving",
        "retail_selling",
        "sampling",
        "sensor_reporting",
        "shipping",
        "staging_outbound",
        "stock_taking",
        "stocking",
        "storing",
        "transporting",
        "unloading",
        "unpacking",
        "void_shipping",
    ]
)
DISPOSITIONS = frozenset(
    [
        "active",
        "available",
        "completeness_inferred",
        "completeness_verified",
        "conformant",
        "container_closed",
        "container_open",
        "damaged",
        "destroyed",
        "dispensed",
        "disposed",
        "encoded",
        "expired",
        "in_progress",
        "in_transit",
        "inactive",
        "mismatch_instance",
        "mismatch_class",
        "mismatch_quantity",
        "needs_replacement",
        "no_pedigree_match",
        "non_conformant",
        "non_sellable_other",
        "partially_dispensed",
        "recalled",
        "reserved",
        "retail_sold",
        "returned",
        "sellable_accessible",
        "sellable_not_accessible",
        "stolen",
        "unavailable",
        "unknown",
    ]
)
BIZ_TRANSACTION_TYPES = frozenset(
    [
        "bol",
        "cert",
        "desadv",
        "inv",
        "pedigree",
        "po",
        "poc",
        "prodorder",
        "recadv",
        "rma",
        "testprd",
        "testres",
        "upevt",
    ]
)
SOURCE_DEST_TYPES = frozenset(["owning_party", "possessing_party", "location"])
ERROR_REASONS = frozenset(["did_not_occur", "incorrect_data"])

# the prefix of each vocabulary's full URIs, after ``CBV``
PREFIXES = {
    "bizStep": ("BizStep-", BIZ_STEPS),
    "disposition": ("Disp-", DISPOSITIONS),
    "bizTransaction": ("BTT-", BIZ_TRANSACTION_TYPES),
    "sourceDest": ("SDT-", SOURCE_DEST_TYPES),
    "errorReason": ("ER-", ERROR_REASONS),
}


def full_uri(kind: str, value: str) -> str:
    """The full URI of a bare CBV value of vocabulary ``kind``; any other value as it is."""
    prefix, words = PREFIXES[kind]
    return CBV + prefix + value if value in words else value


def bare(kind: str, value: str) -> str:
    """The bare CBV value of a full CBV URI of vocabulary ``kind``; any other value as it is."""
    prefix, words = PREFIXES[kind]
    head = CBV + prefix
    if value.startswith(head) and value[len(head) :] in words:
        return value[len(head) :]
    return value


def is_known(kind: str, value: str) -> bool:
    """A bare CBV value of ``kind``, or a URI (a CBV one or the sender's own vocabulary)."""
    _prefix, words = PREFIXES[kind]
    return value in words or (":" in value and " " not in value)
