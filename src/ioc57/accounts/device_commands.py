"""`ioc57 device`: wall displays' read-only device keys, from the command line."""

from __future__ import annotations

import click

from ioc57.core import commandline
from ioc57.core.commandline import fail
from ioc57.core.problems import Problem


@click.group("device")
def device() -> None:
    """Manage wall displays' device keys."""


@device.command("create")
@click.argument("name")
@click.option("--unit", default=None, help="Official code of the unit it shows (default: all).")
@click.option("--layout", default="", help="The wall layout it opens (default: the default).")
@click.pass_context
def device_create(ctx, name, unit, layout) -> None:
    """Issue a device key for a wall display; it is printed once, as the last line."""
    from ioc57.accounts import devices

    try:
        with commandline.engine(ctx).begin() as conn:
            item, key = devices.create_device(
                conn, actor="cli", name=name, unit_id=devices.unit_id_of(conn, unit), layout=layout
            )
    except Problem as problem:
        fail(problem)
    click.echo(f"device {item['id']} {item['name']} ({item['unit'] or 'all units'})")
    click.echo("enter this key at /wall/connect on the display (shown once, keep it safe):")
    click.echo(key)


def _when(value) -> str:
    return value.isoformat()[:19] if value else "-"


@device.command("list")
@click.pass_context
def device_list(ctx) -> None:
    """List device keys (never their values): id, name, unit, layout, prefix, seen, state."""
    from ioc57.accounts import devices

    with commandline.engine(ctx).connect() as conn:
        items = devices.list_devices(conn)
    if not items:
        click.echo("no devices")
    for item in items:
        state = f"revoked {_when(item['revoked_at'])}" if item["revoked_at"] else "active"
        click.echo(
            f"{item['id']:>5} {item['name']:24} {item['unit'] or '-':10} {item['layout'] or '-':12}"
            f" {item['prefix']}… created {_when(item['created_at'])}"
            f" seen {_when(item['last_seen_at'])} {state}"
        )


@device.command("revoke")
@click.argument("device_id", type=click.IntRange(1, 2**31 - 1))
@click.pass_context
def device_revoke(ctx, device_id) -> None:
    """Revoke a device key: the display reads nothing more, at once."""
    from ioc57.accounts import devices

    try:
        with commandline.engine(ctx).begin() as conn:
            item = devices.revoke_device(conn, actor="cli", device_id=device_id)
    except Problem as problem:
        fail(problem)
    click.echo(f"device {item['id']} {item['name']} revoked")
