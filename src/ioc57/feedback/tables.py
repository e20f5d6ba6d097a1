"""The citizen-reports module's tables.

The gate keeps every version of a ``feedback`` record; its projector keeps ``feedback_reports``
(one row a report: where it stands, whose it is, its deadline, its redacted public text) and adds
a row to ``feedback_steps`` each time a report changes status (who, when, why: the report's
timeline). Photos are stored once, stripped of their metadata, and named by the record. The
routes say which agency takes a category in a province; the Open311 keys which third-party apps
may file reports. Every fact row carries its ``province_code``.

Personal data: ``contact``, ``tracking``, ``text`` and ``answer`` are for staff (and the citizen
who holds the tracking code); a public page or endpoint reads only the ``*_public`` columns.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ioc57.core.db import metadata
from ioc57.core.partitions import BY_PROVINCE

reports = Table(
    "feedback_reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(200), nullable=False, unique=True),  # the gate record's id
    # the citizen's code to follow and rate the report (private)
    Column("tracking", String(40), nullable=False, unique=True),
    Column("province_code", String(4), nullable=False),
    Column("unit_id", Integer, ForeignKey("units.id")),  # the commune (None: not placed)
    Column("agency_id", Integer, ForeignKey("units.id")),  # the agency that answers it
    Column("channel", String(16), nullable=False),
    Column("category", String(40), nullable=False),
    Column("status", String(16), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("answered_at", DateTime(timezone=True)),
    Column("published_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("reopened_at", DateTime(timezone=True)),
    # the step it waits on (triage, answer, publish; None: nobody) and its last day
    Column("due_step", String(16)),
    Column("due_on", Date),
    # whether the answer came within the deadline (None: not answered)
    Column("on_time", Boolean),
    Column("satisfaction", String(16)),
    Column("repeated", Boolean, nullable=False, default=False),
    Column("about_procedure", Boolean, nullable=False, default=False),
    Column("duplicate_of", String(200)),
    Column("lat", Float),
    Column("lon", Float),
    Column("address", String(500)),  # as the citizen gave it (private)
    Column("text", Text, nullable=False),  # as the citizen wrote it (private)
    Column("text_public", Text, nullable=False),  # personal data redacted
    Column("answer", Text),
    Column("answer_public", Text),
    Column("note", Text),  # why the last step was taken
    Column("contact", Text),  # JSON {name, phone, email} (private)
    Column("photos", Text, nullable=False, default="[]"),  # JSON list of photo ids
    # the routing suggested from the text, and whether an operator confirmed the category and
    # agency (the confirmed reports train the suggestion)
    Column("suggested_category", String(40)),
    Column("suggested_agency", String(40)),
    Column("confirmed", Boolean, nullable=False, default=False),
    # the deadline flag last announced on the bus ("", near, late)
    Column("flag", String(8), nullable=False, default=""),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("batch_id", Integer),  # the gate batch that last changed it
    Column("simulated", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    info=BY_PROVINCE,  # a fact: partitioned by province in a national deployment
)
# the open reports of a province and how many are late, from the index alone
Index(
    "ix_feedback_reports_province_status",
    reports.c.province_code,
    reports.c.status,
    reports.c.due_on,
)
Index("ix_feedback_reports_province_received", reports.c.province_code, reports.c.received_at)
Index("ix_feedback_reports_agency_status", reports.c.agency_id, reports.c.status)
Index("ix_feedback_reports_unit_status", reports.c.unit_id, reports.c.status)
Index("ix_feedback_reports_published", reports.c.province_code, reports.c.published_at)
# the public page: the most recently published first, whatever the province
Index("ix_feedback_reports_published_at", reports.c.published_at)
Index("ix_feedback_reports_due", reports.c.due_on)

steps = Table(
    "feedback_steps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", Integer, ForeignKey("feedback_reports.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False),  # the status it moved to
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),  # a user name, a source, "public:web"
    Column("agency_id", Integer, ForeignKey("units.id")),
    Column("note", Text),
    Column("batch_id", Integer),
)

photos = Table(
    "feedback_photos",
    metadata,
    Column("id", String(40), primary_key=True),  # random, unguessable
    Column("province_code", String(4), nullable=False),
    Column("record_id", String(200), index=True),  # the report it came with
    Column("content_type", String(40), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),  # re-encoded: no EXIF, no location
    # shown on the public page once the report is published (the operator decides)
    Column("public", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

routes = Table(
    "feedback_routes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("province_code", String(4), nullable=False),
    Column("category", String(40), nullable=False),
    Column("agency_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("updated_by", String(120), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("province_code", "category", name="uq_feedback_routes_category"),
)

open311_keys = Table(
    "open311_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False, unique=True),  # the third-party app
    Column("key_hash", String(64), nullable=False, unique=True),  # sha256 of the key
    Column("created_by", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
)
