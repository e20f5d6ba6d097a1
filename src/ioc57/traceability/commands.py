"""``ioc57 trace``: the tamper-evident log from the command line: verify it, seal it, export its
checkpoints for a copy kept elsewhere."""

from __future__ import annotations

import sys

import click
import orjson

from ioc57.core import commandline
from ioc57.core.problems import Problem, field_error
from ioc57.traceability import checkpoints, ledger
from ioc57.traceability.keys import KeyUnavailable, load_or_create
from ioc57.traceability.verify import verify


@click.group("trace")
def trace_command() -> None:
    """Product traceability: the tamper-evident log of captured events."""


@trace_command.command("verify")
@click.option("--source", default=None, help="Only this source's chain (its name).")
@click.option("--deep", is_flag=True, help="Also recompute each event's hash id (slower).")
@click.pass_context
def trace_verify(ctx: click.Context, source: str | None, deep: bool) -> None:
    """Recompute the chains and their signed checkpoints; one line per event changed or removed
    and per broken link or checkpoint, a summary last; exit 1 when anything is wrong."""
    try:
        report = verify(commandline.engine(ctx), source=source, deep=deep)
    except LookupError:
        commandline.fail(field_error("source", f"no source named {source!r}"))
    for finding in report.findings:
        click.echo(finding.line())
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


@trace_command.command("seal")
@click.option("--source", default=None, help="Only this source's chain (its name).")
@click.pass_context
def trace_seal(ctx: click.Context, source: str | None) -> None:
    """Sign a checkpoint of each chain that grew since its last one (the app does it every
    IOC57_TRACE_SEAL_S seconds); exit 1 when a chain does not hold and was not sealed."""
    settings = commandline.settings(ctx)
    try:
        key = load_or_create(settings.trace_key_path)
    except KeyUnavailable as exc:
        commandline.fail(Problem(409, str(exc)))
    result = checkpoints.seal(commandline.engine(ctx), key, source=source, actor="cli")
    for made in result.made:
        click.echo(
            f"sealed {made['source']} rows {made['first_seq']}..{made['last_seq']}:"
            f" root {made['merkle_root']}"
        )
    for why in result.refused:
        click.echo(why, err=True)
    click.echo(f"checkpoints made: {len(result.made)}, refused: {len(result.refused)}")
    if result.refused:
        sys.exit(1)


@trace_command.command("export-checkpoints")
@click.option("--source", default=None, help="Only this source's checkpoints (its name).")
@click.option(
    "--output",
    type=click.File("wb"),
    default="-",
    help="File to write (default: standard output).",
)
@click.pass_context
def trace_export(ctx: click.Context, source: str | None, output) -> None:
    """The checkpoints and the public keys that verify them, as JSON: keep a copy elsewhere, and
    a later rewrite of the whole chain shows against it."""
    with commandline.engine(ctx).connect() as conn:
        found = ledger.export(conn, source=source)
    output.write(orjson.dumps(found, option=orjson.OPT_INDENT_2) + b"\n")
