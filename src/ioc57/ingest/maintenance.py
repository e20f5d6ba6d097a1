"""Keeping the gate's stores in shape: rebuild the rollups from the records, purge old raw payloads
and rejected rows (which may hold what a source sent about a person)."""

from __future__ import annotations

import time
from datetime import timedelta

import click
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from ioc57.core import commandline
from ioc57.core.clock import now
from ioc57.ingest.rollups import rebuild
from ioc57.ingest.tables import batches, raw_payloads, rejections
from ioc57.ingest.unitcache import UnitCache


def purge_raw(engine: Engine, days: int) -> int:
    """Delete raw payloads older than ``days``; return how many went."""
    cutoff = now() - timedelta(days=days)
    with engine.begin() as conn:
        return conn.execute(
            delete(raw_payloads).where(raw_payloads.c.received_at < cutoff)
        ).rowcount


def purge_rejected(engine: Engine, days: int) -> int:
    """Delete the rejected rows of batches started more than ``days`` ago; return how many went."""
    cutoff = now() - timedelta(days=days)
    old = select(batches.c.id).where(batches.c.started_at < cutoff).scalar_subquery()
    with engine.begin() as conn:
        return conn.execute(delete(rejections).where(rejections.c.batch_id.in_(old))).rowcount


def rebuild_rollups(engine: Engine) -> tuple[int, float]:
    start = time.perf_counter()
    cache = UnitCache(engine)
    with engine.begin() as conn:
        count = rebuild(conn, cache)
    return count, time.perf_counter() - start


@click.group("rollups")
def rollups_command() -> None:
    """The rollup store."""


@rollups_command.command("rebuild")
@click.pass_context
def rollups_rebuild(ctx: click.Context) -> None:
    """Recompute every rollup from the stored records (they are kept current as records arrive)."""
    count, seconds = rebuild_rollups(commandline.engine(ctx))
    click.echo(f"rollups rebuilt from {count} records in {seconds:.2f} s")


@click.group("raw")
def raw_command() -> None:
    """The raw payload log."""


@raw_command.command("purge")
@click.option(
    "--days",
    type=click.IntRange(1, 36500),
    default=None,
    help="Keep this many days (default IOC57_RAW_RETENTION_DAYS or 90).",
)
@click.pass_context
def raw_purge(ctx: click.Context, days: int | None) -> None:
    """Delete raw payloads, and the rejected rows of batches, older than the retention period."""
    engine = commandline.engine(ctx)
    if days is None:
        days = commandline.settings(ctx).raw_retention_days
    click.echo(f"raw payloads purged: {purge_raw(engine, days)}")
    click.echo(f"rejected rows purged: {purge_rejected(engine, days)}")
