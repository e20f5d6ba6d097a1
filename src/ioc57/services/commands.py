"""``ioc57 worklist``: the open-dossier table behind the operator's work list."""

from __future__ import annotations

import time

import click

from ioc57.core import commandline
from ioc57.services.worklist import rebuild


@click.group("worklist")
def worklist_command() -> None:
    """The operator's work list (the open dossiers, kept current by the gate)."""


@worklist_command.command("rebuild")
@click.pass_context
def worklist_rebuild(ctx: click.Context) -> None:
    """Make the open-dossier table anew from the stored dossiers: after an upgrade that added it
    to a database with records, or after the working-day calendar changed."""
    start = time.perf_counter()
    with commandline.engine(ctx).begin() as conn:
        count = rebuild(conn)
    click.echo(f"open dossiers rebuilt: {count} in {time.perf_counter() - start:.2f} s")
