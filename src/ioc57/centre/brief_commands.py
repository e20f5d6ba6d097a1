"""``ioc57 brief``: the daily brief from the command line: ``make`` writes one to a file, ``send``
emails it to the subscribers now (the app sends it on schedule: ``brief_job``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ioc57.core import commandline
from ioc57.core.access import LOCAL_ADMIN
from ioc57.core.problems import Problem, exit_with


@click.group("brief")
def brief_command() -> None:
    """The operations centre's daily brief."""


def _day(value: str | None) -> date | None:
    from ioc57.centre.brief_api import parse_day

    try:
        return parse_day(value) if value else None
    except Problem as problem:
        exit_with(problem)


@brief_command.command("make")
@click.option("--day", "day_text", help="The day (YYYY-MM-DD); today by default.")
@click.option("--format", "kind", type=click.Choice(["docx", "pdf"]), default="docx")
@click.option(
    "--unit", help="The code of the unit whose brief it is; the whole country by default."
)
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_context
def brief_make(
    ctx: click.Context, day_text: str | None, kind: str, unit: str | None, lang: str, output: Path
) -> None:
    """Write the brief of a day to a DOCX or PDF file."""
    from ioc57.centre import brief as content
    from ioc57.centre.brief_api import scoped
    from ioc57.centre.brief_docx import docx_bytes
    from ioc57.centre.brief_pdf import pdf_bytes
    from ioc57.core.clock import now, today

    day = _day(day_text) or today()
    settings = commandline.settings(ctx)
    with commandline.engine(ctx).connect() as conn:
        try:
            principal = scoped(conn, LOCAL_ADMIN, unit)
        except Problem as problem:
            exit_with(problem)
        made = content.make(conn, principal, day, now(), lang)
    body = docx_bytes(made) if kind == "docx" else pdf_bytes(made, settings.brief_font_dir)
    output.write_bytes(body)
    click.echo(f"brief of {day.isoformat()} written to {output} ({len(body)} bytes)")


@brief_command.command("send")
@click.option(
    "--day", "day_text", help="The day (YYYY-MM-DD); the previous working day by default."
)
@click.pass_context
def brief_send(ctx: click.Context, day_text: str | None) -> None:
    """Email the brief of a day to every subscriber not sent it yet."""
    from ioc57.centre.brief_job import previous_working_day
    from ioc57.centre.brief_mail import send_round
    from ioc57.core.clock import now, today

    day = _day(day_text) or previous_working_day(today())
    settings = commandline.settings(ctx)
    done = send_round(commandline.engine(ctx), settings, day, now())
    click.echo(
        f"brief of {day.isoformat()}: {done.sent} sent, {done.failed} failed, "
        f"{done.skipped} sent before"
    )
    if done.failed:
        ctx.exit(1)
