"""`ioc57 agency`: agencies (sở, ban, ngành, commune committees), from the command line."""

from __future__ import annotations

import click

from ioc57.core import commandline
from ioc57.core.commandline import fail
from ioc57.core.problems import Problem


@click.group("agency")
def agency() -> None:
    """Manage agencies (sở, ban, ngành, commune committees)."""


@agency.command("create")
@click.option("--parent", required=True, help="Official code of the province or commune.")
@click.option("--code", required=True)
@click.option("--name", required=True)
@click.option("--type", "kind", default="cơ quan")
@click.pass_context
def agency_create(ctx, parent, code, name, kind) -> None:
    """Add an agency under a current province or commune."""
    from ioc57.core.clock import today
    from ioc57.units.agencies import create_agency
    from ioc57.units.queries import unit_at

    try:
        with commandline.engine(ctx).begin() as conn:
            parent_row = unit_at(conn, parent, today())
            if parent_row is None:
                raise Problem(
                    422,
                    f"no current unit has code {parent!r}",
                    errors=[{"loc": ["parent"], "msg": "unknown"}],
                )
            item = create_agency(
                conn, actor="cli", parent=parent_row, code=code, name=name, type=kind, today=today()
            )
    except Problem as problem:
        fail(problem)
    click.echo(f"agency {item['code']} created under {parent}: {item['name']}")
