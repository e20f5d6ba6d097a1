"""``ioc57 import FILE --type TYPE --source NAME``: a thin command over ``ingest.fileimport``."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from ioc57.core import commandline

COUNTS = ("submitted", "accepted", "updated", "unchanged", "stale", "rejected")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--type", "type_name", required=True, help="Record type, as the records contract names it."
)
@click.option("--source", required=True, help="Name of the data source the records come from.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "ndjson"]),
    default=None,
    help="Read the file as this format (default: by its extension).",
)
@click.option(
    "--workers",
    type=click.IntRange(0, 8),
    default=None,
    help="Processes that validate rows while this one writes (default: one for a big file "
    "when the machine has a core to spare).",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def import_command(
    ctx: click.Context,
    file: Path,
    type_name: str,
    source: str,
    fmt: str | None,
    workers: int | None,
    quiet: bool,
) -> None:
    """Import records from a CSV, XLSX or NDJSON file through the gate.

    Rows are read as a stream and committed 10,000 at a time; run it again after an interruption
    and it completes the import (rows already in come back 'unchanged'). Rejected rows and their
    reasons are written to FILE.errors.csv. The last lines are the batch's counts.
    """
    from ioc57.core.access import LOCAL_ADMIN
    from ioc57.ingest.fileimport import ImportFailed, import_file

    if not file.is_file():
        click.echo(f"error: cannot read {str(file)!r}: no such file", err=True)
        sys.exit(2)
    size = max(file.stat().st_size, 1)
    errors_path = file.with_name(file.name + ".errors.csv")
    with ExitStack() as stack:
        bars: list[Any] = []  # the progress bar, once the first chunk is read

        def progress(position: int) -> None:
            """Move the bar (on stderr, from the first chunk on) to ``position`` bytes read."""
            if quiet:
                return
            if not bars:
                bar = click.progressbar(length=size, label=file.name, file=sys.stderr)
                bars.append(stack.enter_context(bar))
            bars[0].update(min(position, size) - bars[0].pos)

        try:
            report = import_file(
                commandline.engine(ctx),
                file,
                source=source,
                type_name=type_name,
                principal=LOCAL_ADMIN,
                fmt=fmt,
                errors_path=errors_path,
                progress=progress,
                workers=workers,
            )
        except ImportFailed as exc:
            stack.close()
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            stack.close()
            click.echo(
                "interrupted: the chunks committed so far are kept; run the same command again "
                "to complete the import",
                err=True,
            )
            sys.exit(130)
        progress(size)
    if report.errors_path is not None:
        click.echo(f"rejected rows and their reasons: {report.errors_path}", err=True)
    click.echo(f"batch: {report.batch}")
    for key in COUNTS:
        click.echo(f"{key}: {report.counts[key]}")
