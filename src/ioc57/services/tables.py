"""The module's own table: the dossiers still open, kept current by the gate (``worklist``).

A dossier is in ``services_open_dossiers`` while its status is open (received, supplement,
suspended, processing) and leaves it when it is finished, returned or cancelled. The row's id is
the gate's record id (``records.id``), so that the work list and the record are one dossier.
"""

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Table

from ioc57.core.db import metadata
from ioc57.core.partitions import BY_PROVINCE
from ioc57.ingest.tables import BigId

open_dossiers = Table(
    "services_open_dossiers",
    metadata,
    Column("id", BigId, ForeignKey("records.id"), primary_key=True, autoincrement=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("record_id", String(200), nullable=False),  # the dossier's id at its source
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("agency_id", Integer, ForeignKey("units.id")),
    Column("province_code", String(4), nullable=False),
    Column("procedure", String(40), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("status", String(12), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    # due_at moved forward by the working days the dossier was suspended
    Column("effective_due_at", DateTime(timezone=True), nullable=False),
    Column("suspended_days", Integer, nullable=False),
    Column("supplement_requests", Integer, nullable=False),
    info=BY_PROVINCE,  # a fact: partitioned by province in a national deployment
)
# the list is read by unit (or agency, or a whole province) in order of the effective due time;
# the status beside it counts the dossiers of each state from the index alone
Index(
    "ix_services_open_dossiers_unit_due",
    open_dossiers.c.unit_id,
    open_dossiers.c.effective_due_at,
    open_dossiers.c.status,
)
Index(
    "ix_services_open_dossiers_agency_due",
    open_dossiers.c.agency_id,
    open_dossiers.c.effective_due_at,
    open_dossiers.c.status,
)
Index(
    "ix_services_open_dossiers_province_due",
    open_dossiers.c.province_code,
    open_dossiers.c.effective_due_at,
    open_dossiers.c.status,
)
