"""Units and the successions between them.

An official code is unique only together with its validity: ``82`` was Tiền Giang until
2025-06-30 and is the merged Đồng Tháp from 2025-07-01. So a unit row has its own surrogate
``id``; ``(code, valid_from)`` is unique, and ``valid_to`` is the first day it no longer holds
(exclusive). A ``NULL`` bound means "open".
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from ioc57.core.db import metadata

LEVELS = ("province", "district", "commune", "agency")

units = Table(
    "units",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("short_name", String(200), nullable=False),
    Column("level", String(12), nullable=False),
    Column("type", String(40), nullable=False),
    Column("parent_id", Integer, ForeignKey("units.id"), index=True),
    Column("province_code", String(4), nullable=False),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("lat", Float),
    Column("lon", Float),
    Column("search_name", String(200), nullable=False),
    UniqueConstraint("code", "valid_from", name="uq_units_code_valid_from"),
)
Index("ix_units_code", units.c.code)
Index("ix_units_level_province", units.c.level, units.c.province_code)

# predecessor -> successor across a reorganisation. A legacy commune split among several new
# communes has one row per part; ``is_default`` marks where its records go when nothing else tells.
unit_successions = Table(
    "unit_successions",
    metadata,
    Column("predecessor_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("successor_id", Integer, ForeignKey("units.id"), primary_key=True, index=True),
    Column("effective", Date, nullable=False),
    Column("is_default", Boolean, nullable=False, default=True),
)
