"""sensors and alerts: stations, readings, forecasts, rules, instances, transitions, silences, channels, deliveries

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 13:29:10.287050
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_channels",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=True),
        sa.Column("matchers", sa.Text(), nullable=False),
        sa.Column("min_severity", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_channels")),
        sa.UniqueConstraint("name", name=op.f("uq_alert_channels_name")),
    )
    op.create_table(
        "alert_inhibitions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("source_matchers", sa.Text(), nullable=False),
        sa.Column("target_matchers", sa.Text(), nullable=False),
        sa.Column("equal", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_inhibitions")),
        sa.UniqueConstraint("name", name=op.f("uq_alert_inhibitions_name")),
    )
    op.create_table(
        "alert_rules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("figure", sa.String(length=80), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("op", sa.String(length=2), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("for_s", sa.Integer(), nullable=False),
        sa.Column("keep_firing_for_s", sa.Integer(), nullable=False),
        sa.Column("nodata_after_s", sa.Integer(), nullable=True),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("labels", sa.Text(), nullable=False),
        sa.Column("unit_ids", sa.Text(), nullable=False),
        sa.Column("group_by", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_rules")),
        sa.UniqueConstraint("name", name=op.f("uq_alert_rules_name")),
    )
    op.create_table(
        "alert_silences",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("matchers", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expired_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_silences")),
    )
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=True),
        sa.Column("group_key", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["alert_channels.id"],
            name=op.f("fk_alert_deliveries_channel_id_alert_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_deliveries")),
    )
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_alert_deliveries_due", ["status", "next_attempt_at"], unique=False
        )

    op.create_table(
        "alert_groups",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("labels", sa.Text(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("next_flush_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_flush_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["alert_rules.id"],
            name=op.f("fk_alert_groups_rule_id_alert_rules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_alert_groups")),
    )
    with op.batch_alter_table("alert_groups", schema=None) as batch_op:
        batch_op.create_index("ix_alert_groups_due", ["next_flush_at"], unique=False)

    op.create_table(
        "alert_instances",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("labels", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("province_code", sa.String(length=4), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_true_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=100), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ack_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["alert_rules.id"],
            name=op.f("fk_alert_instances_rule_id_alert_rules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_alert_instances_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_instances")),
        sa.UniqueConstraint("rule_id", "fingerprint", name="uq_alert_instances_series"),
    )
    with op.batch_alter_table("alert_instances", schema=None) as batch_op:
        batch_op.create_index("ix_alert_instances_state", ["state"], unique=False)

    op.create_table(
        "sensor_commune_crops",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("crop", sa.String(length=40), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_sensor_commune_crops_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("unit_id", "crop", name=op.f("pk_sensor_commune_crops")),
    )
    op.create_table(
        "alert_transitions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=10), nullable=False),
        sa.Column("to_state", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alert_instances.id"],
            name=op.f("fk_alert_transitions_alert_id_alert_instances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_transitions")),
    )
    with op.batch_alter_table("alert_transitions", schema=None) as batch_op:
        batch_op.create_index("ix_alert_transitions_alert", ["alert_id", "id"], unique=False)

    op.create_table(
        "sensor_stations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("metrics", sa.Text(), nullable=False),
        sa.Column("thresholds", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_sensor_stations_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_sensor_stations_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sensor_stations")),
        sa.UniqueConstraint("code", name=op.f("uq_sensor_stations_code")),
    )
    with op.batch_alter_table("sensor_stations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sensor_stations_province_code"), ["province_code"], unique=False
        )

    op.create_table(
        "sensor_forecasts",
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("points", sa.Text(), nullable=False),
        sa.Column("peak_24h", sa.Float(), nullable=True),
        sa.Column("mae", sa.Float(), nullable=True),
        sa.Column("naive_mae", sa.Float(), nullable=True),
        sa.Column("held_out_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["sensor_stations.id"],
            name=op.f("fk_sensor_forecasts_station_id_sensor_stations"),
        ),
        sa.PrimaryKeyConstraint("station_id", "metric", name=op.f("pk_sensor_forecasts")),
    )
    op.create_table(
        "sensor_latest",
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["sensor_stations.id"],
            name=op.f("fk_sensor_latest_station_id_sensor_stations"),
        ),
        sa.PrimaryKeyConstraint("station_id", "metric", name=op.f("pk_sensor_latest")),
    )
    with op.batch_alter_table("sensor_latest", schema=None) as batch_op:
        batch_op.create_index("ix_sensor_latest_batch", ["batch_id"], unique=False)

    op.create_table(
        "sensor_readings",
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["sensor_stations.id"],
            name=op.f("fk_sensor_readings_station_id_sensor_stations"),
        ),
        sa.PrimaryKeyConstraint(
            "station_id", "metric", "observed_at", name=op.f("pk_sensor_readings")
        ),
    )


def downgrade() -> None:
    op.drop_table("sensor_readings")
    with op.batch_alter_table("sensor_latest", schema=None) as batch_op:
        batch_op.drop_index("ix_sensor_latest_batch")

    op.drop_table("sensor_latest")
    op.drop_table("sensor_forecasts")
    with op.batch_alter_table("sensor_stations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sensor_stations_province_code"))

    op.drop_table("sensor_stations")
    with op.batch_alter_table("alert_transitions", schema=None) as batch_op:
        batch_op.drop_index("ix_alert_transitions_alert")

    op.drop_table("alert_transitions")
    op.drop_table("sensor_commune_crops")
    with op.batch_alter_table("alert_instances", schema=None) as batch_op:
        batch_op.drop_index("ix_alert_instances_state")

    op.drop_table("alert_instances")
    with op.batch_alter_table("alert_groups", schema=None) as batch_op:
        batch_op.drop_index("ix_alert_groups_due")

    op.drop_table("alert_groups")
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_alert_deliveries_due")

    op.drop_table("alert_deliveries")
    op.drop_table("alert_silences")
    op.drop_table("alert_rules")
    op.drop_table("alert_inhibitions")
    op.drop_table("alert_channels")
