"""The alerts module's tables: rules, the alert instances they raise and every state change of
each, silences, inhibition rules, notification channels, the notification groups and each delivery.

An alert instance is one series of one rule (``fingerprint``: the hash of its labels), kept in one
row whose state moves normal → pending → firing → resolved (with ``nodata`` and ``error``); two
server processes change it by compare-and-set on ``version``, so that one state change is made
once. ``alert_transitions`` holds every change (the list a person can read back). A notification
group (``alert_groups``) gathers the instances that share the rule's ``group_by`` labels; its
``next_flush_at`` is claimed by compare-and-set too, so one flush sends one notification per
channel (``alert_deliveries``, retried with backoff, dead when the attempts run out).
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
    UniqueConstraint,
)

from ioc57.core.db import metadata

rules = Table(
    "alert_rules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),  # a slug: the ``alertname`` label
    Column("title", String(200), nullable=False),
    Column("kind", String(20), nullable=False),  # threshold | nodata
    Column("figure", String(80), nullable=False),  # a ``core.figures`` name
    Column("params", Text, nullable=False, default="{}"),  # JSON: the figure's parameters
    Column("op", String(2), nullable=False, default=">"),  # > >= < <= == !=
    # the limit; None: each series' own (a station's threshold, its commune's crops)
    Column("threshold", Float),
    Column("for_s", Integer, nullable=False, default=0),  # pending this long before firing
    Column("keep_firing_for_s", Integer, nullable=False, default=0),
    Column("nodata_after_s", Integer),  # no sample newer than this: no data (None: never)
    Column("severity", String(10), nullable=False, default="warning"),  # info|warning|critical
    Column("labels", Text, nullable=False, default="{}"),  # JSON: added to every instance
    Column("unit_ids", Text, nullable=False, default="[]"),  # JSON: scope (empty: everywhere)
    Column("group_by", Text, nullable=False, default='["alertname"]'),  # JSON label names
    Column("active", Boolean, nullable=False, default=True),
    Column("simulated", Boolean, nullable=False, default=False),
    Column("created_by", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False, default=1),
)

instances = Table(
    "alert_instances",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rule_id", Integer, ForeignKey("alert_rules.id", ondelete="CASCADE"), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("labels", Text, nullable=False),  # JSON: the rule's labels and the series'
    Column("unit_id", Integer, ForeignKey("units.id")),
    Column("province_code", String(4)),
    Column("state", String(10), nullable=False, default="normal"),
    Column("value", Float),  # the last value evaluated
    Column("threshold", Float),  # the limit it was compared with
    Column("observed_at", DateTime(timezone=True)),  # the last sample's time
    Column("state_since", DateTime(timezone=True), nullable=False),
    Column("active_at", DateTime(timezone=True)),  # the condition true since (pending or firing)
    Column("started_at", DateTime(timezone=True)),  # firing since (this episode)
    Column("last_true_at", DateTime(timezone=True)),  # the condition last seen true
    Column("resolved_at", DateTime(timezone=True)),
    Column("evaluated_at", DateTime(timezone=True), nullable=False),
    Column("acknowledged_by", String(100)),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("ack_note", Text),
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("rule_id", "fingerprint", name="uq_alert_instances_series"),
    Index("ix_alert_instances_state", "state"),
)

transitions = Table(
    "alert_transitions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "alert_id", Integer, ForeignKey("alert_instances.id", ondelete="CASCADE"), nullable=False
    ),
    Column("from_state", String(10), nullable=False),
    Column("to_state", String(10), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("value", Float),
    Column("reason", String(200), nullable=False, default=""),
    Column("actor", String(100)),  # who, for an acknowledgement; None: the evaluator
    Index("ix_alert_transitions_alert", "alert_id", "id"),
)

silences = Table(
    "alert_silences",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("matchers", Text, nullable=False),  # JSON [{"name", "op": = != =~ !~, "value"}]
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("comment", Text, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expired_by", String(100)),  # ended early by
)

inhibitions = Table(
    "alert_inhibitions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("source_matchers", Text, nullable=False),  # JSON matchers of the muting alert
    Column("target_matchers", Text, nullable=False),  # JSON matchers of the muted alerts
    Column("equal", Text, nullable=False, default="[]"),  # JSON label names both must share
    Column("created_by", String(100), nullable=False),
)

channels = Table(
    "alert_channels",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("kind", String(10), nullable=False),  # webhook | email
    Column("target", Text, nullable=False),  # the URL, or the addresses (comma-separated)
    Column("secret", String(200)),  # a webhook's HMAC key
    Column("matchers", Text, nullable=False, default="[]"),  # JSON: which alerts it gets
    Column("min_severity", String(10), nullable=False, default="info"),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_by", String(100), nullable=False),
)

groups = Table(
    "alert_groups",
    metadata,
    Column("key", String(64), primary_key=True),  # hash of the rule and its group_by labels
    Column("labels", Text, nullable=False),  # JSON: the group_by labels' values
    Column("rule_id", Integer, ForeignKey("alert_rules.id", ondelete="CASCADE")),
    Column("next_flush_at", DateTime(timezone=True)),  # None: nothing waits
    Column("last_flush_at", DateTime(timezone=True)),
    Column("sent", Text, nullable=False, default="{}"),  # JSON {alert id: state} last sent
    Column("version", Integer, nullable=False, default=1),
    Index("ix_alert_groups_due", "next_flush_at"),
)

deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel_id", Integer, ForeignKey("alert_channels.id", ondelete="CASCADE")),
    Column("group_key", String(64), nullable=False),
    Column("payload", Text, nullable=False),  # JSON body of the notification
    Column("status", String(10), nullable=False, default="pending"),  # pending|sent|dead
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, default=1),
    Index("ix_alert_deliveries_due", "status", "next_attempt_at"),
)
