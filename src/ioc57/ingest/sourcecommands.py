"""``ioc57 source create | list | pull`` and ``ioc57 simulate``: thin commands over the library."""

from __future__ import annotations

import sys
from typing import Any

import click

from ioc57.core import commandline
from ioc57.core.commandline import fail
from ioc57.core.problems import Problem


def split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@click.group("source")
def source() -> None:
    """Manage data sources: the systems that send records through the gate."""


@source.command("create")
@click.argument("name")
@click.option("--types", required=True, help="Record types it may send, separated by commas.")
@click.option("--units", required=True, help="Official codes of the units it may send for: 82.")
@click.option(
    "--title", default="", help="A human name, e.g. 'Hệ thống thông tin giải quyết TTHC'."
)
@click.option("--trusted", is_flag=True, help="Its records need no review.")
@click.option("--simulated", is_flag=True, help="Its data is simulated (dữ liệu mô phỏng).")
@click.option("--pull-url", default=None, help="Fetch records from this URL on a schedule.")
@click.option("--pull-type", default=None, help="Record type of the pulled payload.")
@click.option("--pull-format", default=None, help="json (an array), ndjson or csv.")
@click.option("--pull-interval", "pull_interval_s", type=int, default=None, help="Seconds.")
@click.pass_context
def source_create(
    ctx: click.Context,
    /,
    name: str,
    types: str,
    units: str,
    title: str,
    trusted: bool,
    simulated: bool,
    pull_url: str | None,
    pull_type: str | None,
    pull_format: str | None,
    **rest: Any,
) -> None:
    """Create a source; its token is printed once, as the last line."""
    from ioc57.core.clock import today
    from ioc57.ingest.sources import create_source

    pull_interval_s = rest["pull_interval_s"]
    if pull_url and pull_interval_s is None:
        pull_interval_s = 300
    try:
        with commandline.engine(ctx).begin() as conn:
            item, token = create_source(
                conn,
                actor="cli",
                name=name,
                types=split(types),
                units=split(units),
                today=today(),
                title=title,
                trusted=trusted,
                simulated=simulated,
                pull_url=pull_url,
                pull_type=pull_type,
                pull_format=pull_format,
                pull_interval_s=pull_interval_s,
            )
    except Problem as problem:
        fail(problem)
    flags = [f for f in ("trusted", "simulated") if item[f]]
    click.echo(
        f"source {name} created: types {', '.join(item['types'])}; units {', '.join(item['units'])}"
        + (f"; {', '.join(flags)}" if flags else "")
    )
    if item["pull_url"]:
        click.echo(
            f"pulls {item['pull_type']} as {item['pull_format']} from {item['pull_url']}"
            f" every {item['pull_interval_s']} s"
        )
    click.echo(f"token for source {name} (shown once, keep it safe):")
    click.echo(token)


@source.command("list")
@click.pass_context
def source_list(ctx: click.Context) -> None:
    """List sources, with their last pull and last error."""
    from ioc57.ingest.sources import list_sources

    with commandline.engine(ctx).connect() as conn:
        items = list_sources(conn)
    if not items:
        click.echo("no sources yet: ioc57 source create NAME --types TYPE,... --units 82")
    for item in items:
        flags = [f for f in ("simulated", "trusted", "disabled") if item[f]]
        click.echo(
            f"{item['name']:20} {','.join(item['types']):28} {','.join(item['units']):10}"
            f" {','.join(flags) or '-'}"
        )
        if item["pull_url"]:
            click.echo(
                f"  pull {item['pull_type']}/{item['pull_format']} every"
                f" {item['pull_interval_s']} s from {item['pull_url']};"
                f" last pulled {item['last_pulled_at'] or 'never'}"
            )
        if item["last_error"]:
            click.echo(f"  last error at {item['last_error_at']}: {item['last_error']}")


@source.command("pull")
@click.argument("name")
@click.pass_context
def source_pull(ctx: click.Context, name: str) -> None:
    """Pull a source's URL once, now."""
    from ioc57.core.events import EventBus
    from ioc57.ingest.gate import Gate
    from ioc57.ingest.pull import Puller

    engine = commandline.engine(ctx)
    try:
        result = Puller(engine, Gate(engine, EventBus())).pull(name)
    except Problem as problem:
        fail(problem)
    if result.status == "failed":
        click.echo(f"pull of {name} failed: {result.error}", err=True)
        sys.exit(1)
    if result.status == "not_modified":
        click.echo(f"{name}: not modified since the last pull")
        return
    answer = result.answer or {}
    counts = ", ".join(
        f"{key} {answer.get(key, 0)}" for key in ("submitted", "accepted", "updated", "unchanged")
    )
    rejected = answer.get("rejected_total", len(answer.get("rejected", [])))
    click.echo(f"{name}: batch {answer.get('batch')}: {counts}, rejected {rejected}")


@click.command("simulate")
@click.option("--province", required=True, help="Official code of the province, e.g. 82.")
@click.option("--rate", type=float, default=20.0, show_default=True, help="Records per second.")
@click.option(
    "--types",
    default=None,
    help="Record types, comma-separated (default: every type sent at the rate, not the catalogues"
    " sent once at the start).",
)
@click.option(
    "--url", default=None, help="The app's address (IOC57_URL, default http://127.0.0.1:8057)."
)
@click.option("--token", default=None, help="A source's token (IOC57_TOKEN).")
@click.option("--duration", type=float, default=None, help="Seconds (default: until Ctrl-C).")
@click.option("--seed", type=int, default=None, help="Seed of the random choices.")
@click.pass_context
def simulate(
    ctx: click.Context,
    province: str,
    rate: float,
    types: str | None,
    url: str | None,
    token: str | None,
    duration: float | None,
    seed: int | None,
) -> None:
    """Send simulated records (dữ liệu mô phỏng) through the public HTTP API."""
    from ioc57.ingest import simulation
    from ioc57.ingest.simulator import SimulatorError, run_simulator

    types = types or ",".join(simulation.steady_types())
    url = url or commandline.settings(ctx).url
    token = token or commandline.settings(ctx).token
    if not token:
        click.echo(
            "error: the simulator sends records as a data source and needs its token (token).\n"
            "Create a source for it, then pass the token it prints with --token (or IOC57_TOKEN):\n"
            f"  ioc57 source create mo-phong --types {types} --units {province} --simulated"
            " --title 'Dữ liệu mô phỏng'",
            err=True,
        )
        sys.exit(2)
    try:
        stats = run_simulator(
            url,
            token,
            province,
            split(types),
            rate,
            duration=duration,
            seed=seed,
            echo=click.echo,
        )
    except SimulatorError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2 if exc.bad_input else 1)
    click.echo(stats.summary())
