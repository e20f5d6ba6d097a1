"""`ioc57 user` and `ioc57 token`: users and their API tokens, from the command line."""

from __future__ import annotations

import click

from ioc57.core import commandline
from ioc57.core.access import ALL
from ioc57.core.commandline import fail
from ioc57.core.problems import Problem


@click.group("user")
def user() -> None:
    """Manage users."""


def _unit_id(conn, code: str | None) -> int | None:
    if not code:
        return None
    from ioc57.core.clock import today
    from ioc57.units.queries import unit_at

    row = unit_at(conn, code, today())
    if row is None:
        fail(
            Problem(
                422,
                f"no current unit has code {code!r}",
                errors=[{"loc": ["unit"], "msg": "unknown"}],
            )
        )
    return row.id


@user.command("create")
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(ALL),
)
@click.option("--unit", default=None, help="Official code of the user's unit (scope).")
@click.option("--name", "display_name", default="")
@click.option("--email", default=None)
@click.option("--password", default=None, help="Default: generated and printed.")
@click.pass_context
def user_create(ctx, username, role, unit, display_name, email, password) -> None:
    """Create a user."""
    from ioc57.accounts.service import create_user
    from ioc57.core.security import new_password

    password = password or new_password()
    try:
        with commandline.engine(ctx).begin() as conn:
            create_user(
                conn,
                actor="cli",
                username=username,
                role=role,
                password=password,
                unit_id=_unit_id(conn, unit),
                unit_code=unit,
                display_name=display_name,
                email=email,
            )
    except Problem as problem:
        fail(problem)
    click.echo(
        f"user {username} created ({role}{', ' + unit if unit else ''}); password: {password}"
    )


@user.command("list")
@click.pass_context
def user_list(ctx) -> None:
    """List users."""
    from ioc57.accounts.service import list_users

    with commandline.engine(ctx).connect() as conn:
        for item in list_users(conn):
            state = "disabled" if item["disabled"] else "active"
            click.echo(f"{item['username']:20} {item['role']:9} {item['unit'] or '-':10} {state}")


@user.command("set-role")
@click.argument("username")
@click.argument("role")
@click.option("--unit", default=None)
@click.pass_context
def user_set_role(ctx, username, role, unit) -> None:
    """Change a user's role (and unit)."""
    from ioc57.accounts.service import change_user

    try:
        with commandline.engine(ctx).begin() as conn:
            changes = {"role": role}
            if unit:
                changes["unit_id"] = _unit_id(conn, unit)
            change_user(conn, actor="cli", username=username, **changes)
    except Problem as problem:
        fail(problem)
    click.echo(f"user {username} is now {role}")


@user.command("disable")
@click.argument("username")
@click.pass_context
def user_disable(ctx, username) -> None:
    """Disable a user (their sessions and tokens stop working)."""
    from ioc57.accounts.service import change_user

    try:
        with commandline.engine(ctx).begin() as conn:
            change_user(conn, actor="cli", username=username, disabled=True)
    except Problem as problem:
        fail(problem)
    click.echo(f"user {username} disabled")


@click.group("token")
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.option("--user", "username", required=True)
@click.option("--name", default="")
@click.pass_context
def token_create(ctx, username, name) -> None:
    """Create an API token; it is printed once, as the last line."""
    from ioc57.accounts.service import create_token

    try:
        with commandline.engine(ctx).begin() as conn:
            value = create_token(conn, actor="cli", username=username, name=name)
    except Problem as problem:
        fail(problem)
    click.echo(f"token for {username} (shown once, keep it safe):")
    click.echo(value)


@token.command("list")
@click.option("--user", "username", default=None, help="Only this user's tokens.")
@click.pass_context
def token_list(ctx, username) -> None:
    """List API tokens (never their values): id, user, name, prefix, created, revoked."""
    from ioc57.accounts.service import list_tokens

    with commandline.engine(ctx).connect() as conn:
        items = list_tokens(conn, username=username)
    if not items:
        click.echo("no tokens")
    for item in items:
        state = f"revoked {item['revoked_at'][:19]}" if item["revoked_at"] else "active"
        click.echo(
            f"{item['id']:>5} {item['username']:20} {item['name'] or '-':24}"
            f" {item['prefix']}… created {item['created_at'][:19]} {state}"
        )


@token.command("revoke")
@click.argument("which")
@click.option("--user", "username", default=None, help="With a name: the user whose token it is.")
@click.pass_context
def token_revoke(ctx, which, username) -> None:
    """Revoke a token by its id, or by its name (see `ioc57 token list`); refused at once."""
    from ioc57.accounts.service import list_tokens, revoke_token

    try:
        with commandline.engine(ctx).begin() as conn:
            if which.isdigit():
                ids = [int(which)]
            else:
                ids = [
                    t["id"]
                    for t in list_tokens(conn, username=username)
                    if t["name"] == which and t["revoked_at"] is None
                ]
                if not ids:
                    raise Problem(
                        404,
                        f"no active token named {which!r}",
                        errors=[{"loc": ["token"], "msg": "unknown"}],
                    )
                if len(ids) > 1:
                    raise Problem(
                        409,
                        f"{len(ids)} active tokens are named {which!r} (ids"
                        f" {', '.join(map(str, ids))}): give an id, or --user",
                        errors=[{"loc": ["token"], "msg": "ambiguous"}],
                    )
            item = revoke_token(conn, actor="cli", token_id=ids[0])
    except Problem as problem:
        fail(problem)
    click.echo(f"token {item['id']} of {item['username']} ({item['name'] or 'no name'}) revoked")
