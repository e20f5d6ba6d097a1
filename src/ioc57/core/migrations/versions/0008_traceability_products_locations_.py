"""traceability: products, locations, certificates, lots, EPCIS events and their identifiers,
the hash chain of what each source captured, signing keys and checkpoints

Master data and events are projections of the gate's ``trace_*`` and ``epcis_event`` records.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 10:39:44.242171
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trace_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_keys")),
        sa.UniqueConstraint("key_id", name=op.f("uq_trace_keys_key_id")),
    )
    op.create_table(
        "trace_chain",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("event_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("link", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_trace_chain_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_chain")),
        sa.UniqueConstraint("source_id", "seq", name="uq_trace_chain_source_seq"),
    )
    with op.batch_alter_table("trace_chain", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trace_chain_event_pk"), ["event_pk"], unique=False)

    op.create_table(
        "trace_checkpoints",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("first_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("merkle_root", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_trace_checkpoints_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_checkpoints")),
        sa.UniqueConstraint("source_id", "last_seq", name="uq_trace_checkpoints_source_last"),
    )
    op.create_table(
        "trace_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tz_offset", sa.String(length=6), nullable=False),
        sa.Column("record_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=True),
        sa.Column("biz_step", sa.String(length=300), nullable=True),
        sa.Column("disposition", sa.String(length=300), nullable=True),
        sa.Column("read_point", sa.String(length=300), nullable=True),
        sa.Column("biz_location", sa.String(length=300), nullable=True),
        sa.Column("error_declared", sa.Boolean(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_trace_events_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_trace_events_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_trace_events_event_id")),
    )
    with op.batch_alter_table("trace_events", schema=None) as batch_op:
        batch_op.create_index("ix_trace_events_biz_location", ["biz_location"], unique=False)
        batch_op.create_index(
            "ix_trace_events_province_day", ["province_code", "day"], unique=False
        )
        batch_op.create_index(
            "ix_trace_events_province_time", ["province_code", "event_time"], unique=False
        )
        batch_op.create_index("ix_trace_events_record_time", ["record_time"], unique=False)
        batch_op.create_index("ix_trace_events_event_time", ["event_time"], unique=False)

    op.create_table(
        "trace_locations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("gln", sa.String(length=13), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("operator", sa.String(length=200), nullable=True),
        sa.Column("planting_area_code", sa.String(length=40), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_trace_locations_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_trace_locations_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_locations")),
        sa.UniqueConstraint("gln", name=op.f("uq_trace_locations_gln")),
    )
    with op.batch_alter_table("trace_locations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trace_locations_province_code"), ["province_code"], unique=False
        )

    op.create_table(
        "trace_lots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("lot", sa.String(length=20), nullable=False),
        sa.Column("origin_gln", sa.String(length=13), nullable=True),
        sa.Column("harvested_on", sa.Date(), nullable=True),
        sa.Column("produced_on", sa.Date(), nullable=True),
        sa.Column("best_before", sa.Date(), nullable=True),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("uom", sa.String(length=3), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_trace_lots_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_trace_lots_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_lots")),
        sa.UniqueConstraint("gtin", "lot", name="uq_trace_lots_gtin_lot"),
    )
    with op.batch_alter_table("trace_lots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trace_lots_province_code"), ["province_code"], unique=False
        )

    op.create_table(
        "trace_products",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("business", sa.String(length=200), nullable=False),
        sa.Column("tax_code", sa.String(length=14), nullable=False),
        sa.Column("ocop_stars", sa.Integer(), nullable=True),
        sa.Column("marks", sa.Text(), nullable=False),
        sa.Column("certificates", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_trace_products_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_trace_products_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_products")),
        sa.UniqueConstraint("gtin", name=op.f("uq_trace_products_gtin")),
    )
    with op.batch_alter_table("trace_products", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trace_products_province_code"), ["province_code"], unique=False
        )

    op.create_table(
        "trace_certificates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=200), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["trace_locations.id"],
            name=op.f("fk_trace_certificates_location_id_trace_locations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trace_certificates")),
    )
    with op.batch_alter_table("trace_certificates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trace_certificates_location_id"), ["location_id"], unique=False
        )
        batch_op.create_index(
            "ix_trace_certificates_province_to", ["province_code", "valid_to"], unique=False
        )

    op.create_table(
        "trace_event_epcs",
        sa.Column("event_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("epc", sa.String(length=300), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_pk"],
            ["trace_events.id"],
            name=op.f("fk_trace_event_epcs_event_pk_trace_events"),
        ),
        sa.PrimaryKeyConstraint("event_pk", "epc", "role", name=op.f("pk_trace_event_epcs")),
    )
    with op.batch_alter_table("trace_event_epcs", schema=None) as batch_op:
        batch_op.create_index("ix_trace_event_epcs_epc", ["epc", "role"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("trace_event_epcs", schema=None) as batch_op:
        batch_op.drop_index("ix_trace_event_epcs_epc")

    op.drop_table("trace_event_epcs")
    with op.batch_alter_table("trace_certificates", schema=None) as batch_op:
        batch_op.drop_index("ix_trace_certificates_province_to")
        batch_op.drop_index(batch_op.f("ix_trace_certificates_location_id"))

    op.drop_table("trace_certificates")
    with op.batch_alter_table("trace_products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trace_products_province_code"))

    op.drop_table("trace_products")
    with op.batch_alter_table("trace_lots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trace_lots_province_code"))

    op.drop_table("trace_lots")
    with op.batch_alter_table("trace_locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trace_locations_province_code"))

    op.drop_table("trace_locations")
    with op.batch_alter_table("trace_events", schema=None) as batch_op:
        batch_op.drop_index("ix_trace_events_event_time")
        batch_op.drop_index("ix_trace_events_record_time")
        batch_op.drop_index("ix_trace_events_province_time")
        batch_op.drop_index("ix_trace_events_province_day")
        batch_op.drop_index("ix_trace_events_biz_location")

    op.drop_table("trace_events")
    op.drop_table("trace_checkpoints")
    with op.batch_alter_table("trace_chain", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trace_chain_event_pk"))

    op.drop_table("trace_chain")
    op.drop_table("trace_keys")
