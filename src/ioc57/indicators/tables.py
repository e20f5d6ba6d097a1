"""Reported values with their review state and history, and provincial targets."""

from sqlalchemy import (
    JSON,
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

STATUSES = ("submitted", "approved", "rejected")

indicator_values = Table(
    "indicator_values",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator", String(60), nullable=False),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("province_code", String(4), nullable=False),
    Column("period", String(10), nullable=False),
    Column("period_end", Date, nullable=False),
    Column("year", Integer, nullable=False),
    Column("value", Float),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("status", String(10), nullable=False),
    Column("citation", Text, nullable=False),
    Column("simulated", Boolean, nullable=False, default=False),
    Column("source_id", Integer, ForeignKey("sources.id")),
    Column("record_id", String(200)),
    Column("entered_by", String(60), nullable=False),
    Column("reviewed_by", String(60)),
    Column("reviewed_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("indicator", "unit_id", "period", name="uq_indicator_values_point"),
    info=BY_PROVINCE,  # a fact: partitioned by province in a national deployment
)
Index(
    "ix_indicator_values_series",
    indicator_values.c.indicator,
    indicator_values.c.province_code,
    indicator_values.c.year,
)
Index("ix_indicator_values_unit_year", indicator_values.c.unit_id, indicator_values.c.year)
# the review queue reads the few submitted values among the approved ones
Index("ix_indicator_values_status", indicator_values.c.status)

indicator_value_history = Table(
    "indicator_value_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("value_id", Integer, ForeignKey("indicator_values.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(60), nullable=False),
    Column("action", String(20), nullable=False),  # submit, change, approve, reject
    Column("old", JSON),
    Column("new", JSON),
    Column("reason", Text),
)

indicator_targets = Table(
    "indicator_targets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator", String(60), nullable=False),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("basis", Text, nullable=False, default=""),
    Column("set_by", String(60), nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("indicator", "unit_id", "year", name="uq_indicator_targets_point"),
)

# Yearly sums of approved values, kept current as values change: "own" for the values reported for a
# unit itself, "below" for everything reported for the units under it. A level (stock) indicator
# keeps the latest period's value of each unit and, below, the sum of those latest values.
indicator_rollups = Table(
    "indicator_rollups",
    metadata,
    Column("indicator", String(60), primary_key=True),
    Column("unit_id", Integer, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("scope", String(5), primary_key=True),  # own, below
    Column("province_code", String(4), nullable=False),
    Column("n", Integer, nullable=False, default=0),
    Column("sum_value", Float, nullable=False, default=0.0),
    Column("sum_num", Float, nullable=False, default=0.0),
    Column("sum_den", Float, nullable=False, default=0.0),
    Column("pct_only", Integer, nullable=False, default=0),  # values given only as a percentage
    Column("latest_end", Date),
    Column("latest_value", Float, nullable=False, default=0.0),
    Column("latest_num", Float, nullable=False, default=0.0),
    Column("latest_den", Float, nullable=False, default=0.0),
    Column("simulated", Integer, nullable=False, default=0, server_default="0"),  # mô phỏng
    info=BY_PROVINCE,  # a fact: partitioned by province in a national deployment
)
# a scorecard reads every indicator of a few units, and the primary key starts with the indicator
Index("ix_indicator_rollups_unit_year", indicator_rollups.c.unit_id, indicator_rollups.c.year)

# One row: a number that grows with every change of ``indicator_rollups``, in the same transaction.
# The ranks among the 34 provinces are cached per process for as long as it stays the same (the
# token tells one database from another that happens to reach the same number).
indicator_rollups_version = Table(
    "indicator_rollups_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String(32), nullable=False),
    Column("version", BigInteger, nullable=False),
)
