"""``ioc57 contract [--out docs/records.md]``: the record contract as Markdown, from the schemas."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("contract")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the contract to this file (default: print it).",
)
def contract_command(out: Path | None) -> None:
    """Write the record contract (every record type's fields, as the gate checks them) as
    Markdown; the repository keeps it in docs/records.md."""
    from ioc57.ingest.contractdoc import markdown

    text = markdown()
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out}", err=True)
