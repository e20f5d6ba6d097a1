"""The operations centre's tables: named wall layouts (as data), the daily brief's subscribers and
the briefs sent."""

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ioc57.core.db import metadata

# A wall layout an operator saved (those of ``layouts.toml`` need no row): its pages, each a grid
# of panels (tiles, the map with its layers, the concerns, the alert feed) and how long it shows.
wall_layouts = Table(
    "wall_layouts",
    metadata,
    Column("name", String(60), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("spec", Text, nullable=False),  # JSON: ``centre.layouts.Layout``
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", Integer, ForeignKey("users.id")),
)

# The people who receive the daily brief by email, each for their own scope.
brief_subscriptions = Table(
    "brief_subscriptions",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# One row per brief sent (or failed) to a subscriber for a day: a round that is killed and run
# again sends no brief twice.
brief_deliveries = Table(
    "brief_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("error", String(500)),
    UniqueConstraint("day", "user_id", name="uq_brief_deliveries_day_user"),
)
