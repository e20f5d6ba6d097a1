"""The traceability module's tables: master data and events as the gate's projectors keep them,
the identifiers each event names, the hash chain of what each source captured, and its signed
checkpoints.

Every fact row carries its ``province_code``. An event is stored once, under its ``event_id``,
however many sources sent it; ``trace_event_epcs`` holds each identifier an event names, in its
canonical form (``epc``), with its role in the event, so that the events of an EPC and the trace of
a lot read an index, never the events' JSON.

``trace_chain`` is append-only: each event a source captured (or corrected) adds a row whose
``digest`` is the SHA-256 of the event's stored JSON and whose ``link`` chains it to the one before
(``chain``); ``trace_checkpoints`` seal a stretch of a chain with a Merkle root signed by the
province's key (``trace_keys`` holds the public keys that verify the signatures).
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ioc57.core.db import metadata
from ioc57.core.partitions import BY_PROVINCE
from ioc57.ingest.tables import BigId

products = Table(
    "trace_products",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("gtin", String(14), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("category", String(20), nullable=False),
    Column("business", String(200), nullable=False),
    Column("tax_code", String(14), nullable=False),
    Column("ocop_stars", Integer),
    Column("marks", Text, nullable=False, default="[]"),  # JSON list
    Column("certificates", Text, nullable=False, default="[]"),  # JSON list
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("province_code", String(4), nullable=False, index=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("simulated", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

locations = Table(
    "trace_locations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("gln", String(13), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("operator", String(200)),
    Column("planting_area_code", String(40)),
    Column("address", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("province_code", String(4), nullable=False, index=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("simulated", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

certificates = Table(
    "trace_certificates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("location_id", Integer, ForeignKey("trace_locations.id"), nullable=False, index=True),
    Column("scheme", String(20), nullable=False),
    Column("number", String(200), nullable=False),
    Column("issuer", String(200), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=False),
    Column("province_code", String(4), nullable=False),
)
Index("ix_trace_certificates_province_to", certificates.c.province_code, certificates.c.valid_to)

lots = Table(
    "trace_lots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("gtin", String(14), nullable=False),
    Column("lot", String(20), nullable=False),
    Column("origin_gln", String(13)),
    Column("harvested_on", Date),
    Column("produced_on", Date),
    Column("best_before", Date),
    Column("quantity", Float),
    Column("uom", String(3)),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("province_code", String(4), nullable=False, index=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("simulated", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("gtin", "lot", name="uq_trace_lots_gtin_lot"),
)

events = Table(
    "trace_events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("event_id", String(200), nullable=False, unique=True),
    Column("type", String(20), nullable=False),
    Column("event_time", DateTime(timezone=True), nullable=False),
    Column("tz_offset", String(6), nullable=False),
    Column("record_time", DateTime(timezone=True), nullable=False),
    Column("day", Date, nullable=False),  # the local day of ``event_time``
    Column("action", String(8)),
    Column("biz_step", String(300)),  # a CBV word bare, any other URI as sent
    Column("disposition", String(300)),
    Column("read_point", String(300)),  # canonical
    Column("biz_location", String(300)),  # canonical
    Column("error_declared", Boolean, nullable=False, default=False),
    Column("unit_id", Integer, ForeignKey("units.id")),
    Column("province_code", String(4), nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("simulated", Boolean, nullable=False, default=False),
    Column("document", Text, nullable=False),  # the event as EPCIS JSON, as the query gives it
    info=BY_PROVINCE,  # a fact: partitioned by province in a national deployment
)
Index("ix_trace_events_province_time", events.c.province_code, events.c.event_time)
Index("ix_trace_events_province_day", events.c.province_code, events.c.day)
Index("ix_trace_events_record_time", events.c.record_time)
# a query by event time alone (the EPCIS query's GE_eventTime, orderBy=eventTime) over every province
Index("ix_trace_events_event_time", events.c.event_time)
Index("ix_trace_events_biz_location", events.c.biz_location)

# roles of an identifier in an event
ROLES = (
    "epc",
    "class",
    "parent",
    "child",
    "child_class",
    "input",
    "input_class",
    "output",
    "output_class",
)

event_epcs = Table(
    "trace_event_epcs",
    metadata,
    Column("event_pk", BigId, ForeignKey("trace_events.id"), primary_key=True),
    Column("epc", String(300), primary_key=True),  # canonical
    Column("role", String(12), primary_key=True),
    Column("province_code", String(4), nullable=False),
    info=BY_PROVINCE,  # a fact: partitioned by province in a national deployment
)
Index("ix_trace_event_epcs_epc", event_epcs.c.epc, event_epcs.c.role)

chain = Table(
    "trace_chain",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),  # the order over all sources
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("seq", BigInteger, nullable=False),  # 1, 2, … within the source's chain
    Column("event_pk", BigId, nullable=False, index=True),  # no key: a removed event is named
    Column("event_id", String(200), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("link", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("province_code", String(4), nullable=False),
    UniqueConstraint("source_id", "seq", name="uq_trace_chain_source_seq"),
)

keys = Table(
    "trace_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key_id", String(64), nullable=False, unique=True),  # SHA-256 of the public key
    Column("public_key", Text, nullable=False),  # PEM
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("retired_at", DateTime(timezone=True)),
)

checkpoints = Table(
    "trace_checkpoints",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("first_seq", BigInteger, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("head", String(64), nullable=False),  # the chain's link at ``last_seq``
    Column("merkle_root", String(64), nullable=False),  # over the digests first_seq..last_seq
    Column("key_id", String(64), nullable=False),
    Column("signature", Text, nullable=False),  # base64 Ed25519 over ``chain.statement``
    Column("signed_at", DateTime(timezone=True), nullable=False),
    Column("province_code", String(4), nullable=False),
    UniqueConstraint("source_id", "last_seq", name="uq_trace_checkpoints_source_last"),
)
