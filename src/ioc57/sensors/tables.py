"""The sensors module's tables: stations, their readings as numbers, the latest of each, the main
crops of a commune, and each station's forecast.

The gate keeps every reading as a record; the projector copies its number into
``sensor_readings`` (a station's chart reads an index, never JSON) and keeps
``sensor_latest`` current, marked with the gate batch that last changed it, so that the alert
rules evaluate, on a batch's event, only the stations the batch changed. Every fact row carries
its ``province_code``.
"""

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from ioc57.core.db import metadata
from ioc57.core.partitions import BY_PROVINCE

stations = Table(
    "sensor_stations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("place", String(200), nullable=False, default=""),  # river, canal or place
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("province_code", String(4), nullable=False, index=True),
    Column("lat", Float),
    Column("lon", Float),
    Column("metrics", Text, nullable=False, default="[]"),  # JSON list of metric names
    Column("thresholds", Text, nullable=False, default="{}"),  # JSON {metric: limit}
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("simulated", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

readings = Table(
    "sensor_readings",
    metadata,
    Column("station_id", Integer, ForeignKey("sensor_stations.id"), primary_key=True),
    Column("metric", String(40), primary_key=True),
    Column("observed_at", DateTime(timezone=True), primary_key=True),
    Column("value", Float, nullable=False),
    Column("province_code", String(4), nullable=False),
    Column("simulated", Boolean, nullable=False, default=False),
    info=BY_PROVINCE,  # a fact: partitioned by province in a national deployment
)

latest = Table(
    "sensor_latest",
    metadata,
    Column("station_id", Integer, ForeignKey("sensor_stations.id"), primary_key=True),
    Column("metric", String(40), primary_key=True),
    Column("value", Float, nullable=False),
    Column("observed_at", DateTime(timezone=True), nullable=False),
    Column("province_code", String(4), nullable=False),
    Column("batch_id", Integer, nullable=True),  # the gate batch that last changed it
    Index("ix_sensor_latest_batch", "batch_id"),
)

commune_crops = Table(
    "sensor_commune_crops",
    metadata,
    Column("unit_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("crop", String(40), primary_key=True),  # a key of crops.toml
    Column("province_code", String(4), nullable=False),
    Column("simulated", Boolean, nullable=False, default=False),
)

forecasts = Table(
    "sensor_forecasts",
    metadata,
    Column("station_id", Integer, ForeignKey("sensor_stations.id"), primary_key=True),
    Column("metric", String(40), primary_key=True),
    Column("made_at", DateTime(timezone=True), nullable=False),
    Column("province_code", String(4), nullable=False),
    Column("points", Text, nullable=False),  # JSON [[iso time, value, low, high], …] hourly
    Column("peak_24h", Float),  # the highest forecast value in the next 24 hours
    Column("mae", Float),  # mean absolute error at 24 h on held-out days
    Column("naive_mae", Float),  # the same hour yesterday's, on the same days
    Column("held_out_days", Integer, nullable=False, default=0),
)
