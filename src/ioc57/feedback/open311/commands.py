"""``ioc57 open311 key``: the API keys of the apps that file citizen reports through Open311."""

from __future__ import annotations

import click

from ioc57.core import commandline
from ioc57.core.commandline import fail
from ioc57.core.problems import Problem


@click.group("open311")
def open311_command() -> None:
    """Open311 GeoReport v2 (citizen reports from third-party apps)."""


@open311_command.group("key")
def key() -> None:
    """The API keys of the apps that file reports."""


@key.command("create")
@click.argument("name")
@click.pass_context
def key_create(ctx: click.Context, name: str) -> None:
    """Issue a key to the app NAME; it is printed once, as the last line."""
    from ioc57.feedback.open311.keys import create_key

    try:
        with commandline.engine(ctx).begin() as conn:
            value = create_key(conn, actor="cli", name=name)
    except Problem as problem:
        fail(problem)
    click.echo(f"open311 key for {name} (shown once, keep it safe):")
    click.echo(value)


@key.command("list")
@click.pass_context
def key_list(ctx: click.Context) -> None:
    """The apps and their keys (never the keys): issued, last used, revoked."""
    from ioc57.feedback.open311.keys import list_keys

    with commandline.engine(ctx).connect() as conn:
        found = list_keys(conn)
    if not found:
        click.echo("no open311 keys")
    for item in found:
        state = f"revoked {item['revoked_at'][:16]}" if item["revoked_at"] else "active"
        used = f"last used {item['last_used_at'][:16]}" if item["last_used_at"] else "never used"
        click.echo(
            f"{item['name']:24} {state:25} issued {item['created_at'][:16]} by "
            f"{item['created_by']}, {used}"
        )


@key.command("revoke")
@click.argument("name")
@click.pass_context
def key_revoke(ctx: click.Context, name: str) -> None:
    """Revoke the key of the app NAME: it files nothing more."""
    from ioc57.feedback.open311.keys import revoke_key

    try:
        with commandline.engine(ctx).begin() as conn:
            revoke_key(conn, actor="cli", name=name)
    except Problem as problem:
        fail(problem)
    click.echo(f"open311 key of {name} revoked")
