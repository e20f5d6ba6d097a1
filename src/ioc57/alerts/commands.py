"""``ioc57 alerts``: the notifications from the command line — send what is due now, list the
deliveries (the dead letters), replay one."""

from __future__ import annotations

import click
import orjson

from ioc57.alerts import channels
from ioc57.core import commandline
from ioc57.core.clock import now
from ioc57.core.problems import Problem


@click.group("alerts")
def alerts_command() -> None:
    """Alerts: their notifications and deliveries."""


@alerts_command.command("notify")
@click.pass_context
def alerts_notify(ctx: click.Context) -> None:
    """Flush the due notification groups and send the due deliveries now (what ``ioc57 serve``
    does every IOC57_ALERTS_NOTIFY_S seconds); prints what it did as JSON."""
    from ioc57.alerts import deliver, notify  # the HTTP client: only this command needs it

    engine, settings = commandline.engine(ctx), commandline.settings(ctx)
    at = now()
    made = notify.flush_due(engine, settings, at)
    sent = deliver.send_due(engine, settings, at)
    click.echo(orjson.dumps({"deliveries_made": made, **sent}).decode())


@alerts_command.command("deliveries")
@click.option("--status", type=click.Choice(channels.STATUSES), default=None)
@click.option("--limit", type=click.IntRange(1, 1000), default=50)
@click.pass_context
def alerts_deliveries(ctx: click.Context, status: str | None, limit: int) -> None:
    """The latest deliveries as JSON (``--status dead``: the dead letters)."""
    with commandline.engine(ctx).connect() as conn:
        found = channels.list_deliveries(conn, status=status, limit=limit)
    click.echo(orjson.dumps(found, option=orjson.OPT_INDENT_2).decode())


@alerts_command.command("replay")
@click.argument("delivery_id", type=click.IntRange(1, 2**31 - 1))
@click.pass_context
def alerts_replay(ctx: click.Context, delivery_id: int) -> None:
    """Put a dead letter back in line (sent by the next round; audited as ``cli``)."""
    try:
        with commandline.engine(ctx).begin() as conn:
            done = channels.replay_delivery(conn, actor="cli", delivery_id=delivery_id, now=now())
    except Problem as problem:
        commandline.fail(problem)
    click.echo(f"delivery {done['id']}: {done['status']}")
