"""The ``ioc57`` command: init, check, serve and demo here; every installed module adds its own
commands (``Module.commands``: users and tokens, agencies, sources, import, simulate, ...)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy.engine import Engine

import ioc57
from ioc57.core import commandline
from ioc57.core.commandline import fail
from ioc57.core.problems import Problem
from ioc57.core.refs import resolve
from ioc57.core.settings import SettingsError, read_settings


def _make_database_folder(ctx: click.Context) -> None:
    """``init`` and ``demo`` create an SQLite file's folder, then keep the secret key beside it."""
    settings = commandline.settings(ctx)
    path = settings.sqlite_path
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            commandline.database_error(
                settings, f"cannot create the folder {path.parent}: {exc.strerror}"
            )
        try:
            ctx.obj["settings"] = settings.with_secret()
        except OSError as exc:
            commandline.database_error(
                settings, f"cannot keep the secret key beside it: {exc.strerror}"
            )


@click.group()
@click.version_option(ioc57.__version__, prog_name="ioc57")
@click.option(
    "--database-url",
    default=None,
    help=commandline.DATABASE_URL_HELP,
)
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """ioc57 — Trung tâm giám sát, điều hành thông minh (Intelligent Operations Center)."""
    # read only: nothing is written before a command runs (``--help`` of any command writes
    # nothing); ``init``, ``demo`` and ``serve`` fill in the secret key where they need it
    try:
        ctx.obj = {"settings": read_settings(database_url=database_url)}
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc
    from ioc57 import modules

    modules.load()


def _init(ctx: click.Context, by_province: bool = False) -> None:
    from ioc57.bootstrap import init_database

    if by_province and commandline.settings(ctx).is_sqlite:
        raise click.UsageError("--partition-by-province needs PostgreSQL (IOC57_DATABASE_URL)")
    _make_database_folder(ctx)
    engine = commandline.new_engine(ctx)
    commandline.open_database(commandline.settings(ctx), engine, must_exist=False)
    try:
        result = init_database(engine, commandline.settings(ctx).admin_password, by_province)
    except Problem as problem:  # e.g. an IOC57_ADMIN_PASSWORD that is too short
        fail(problem)
    click.echo(f"schema: {'migrated' if result.migrated else 'current'}")
    if result.partitioned:
        click.echo(f"partitioned by province: {', '.join(result.partitioned)}")
    click.echo(f"units loaded: {result.units_loaded}")
    if result.admin_created:
        click.echo(f"admin user created: admin / {result.admin_password}")
    click.echo(f"done in {result.seconds:.2f} s")


@main.command()
@click.option(
    "--partition-by-province",
    "by_province",
    is_flag=True,
    help="PostgreSQL: partition the fact tables by province (a national deployment; see README).",
)
@click.pass_context
def init(ctx: click.Context, by_province: bool) -> None:
    """Create or migrate the database, load units, create the admin user."""
    _init(ctx, by_province)


@main.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Exit non-zero when the database is unreachable or migrations are not current."""
    from ioc57.core.migrate import current_revision, head_revision

    head = head_revision()
    path = commandline.settings(ctx).sqlite_path
    if path is not None and not path.is_file():  # not made on the way: check writes nothing
        click.echo(
            f"migrations not current: no database file at {path.absolute()}, code at {head}"
            " (run 'ioc57 init')",
            err=True,
        )
        sys.exit(1)
    try:
        current = current_revision(commandline.new_engine(ctx))
    except Exception as exc:
        click.echo(f"database unreachable: {exc}", err=True)
        sys.exit(1)
    if current != head:
        click.echo(f"migrations not current: database at {current}, code at {head}", err=True)
        sys.exit(1)
    click.echo(f"ok: database reachable, schema at {head}")


def _serve(ctx: click.Context, host: str, port: int) -> None:
    import uvicorn

    from ioc57.ingest import pull
    from ioc57.web.app import create_app, start_background

    settings = commandline.settings(ctx)
    # web requests wait briefly for a locked database, then answer 503 (commands wait longer)
    engine = commandline.make(settings, busy_timeout_s=settings.db_busy_timeout_s)
    commandline.open_database(settings, engine, must_exist=True)
    app = create_app(settings, engine)
    if settings.pull_scheduler:  # IOC57_PULL_SCHEDULER=0 leaves pulls to another process
        pull.install_scheduler(app)
    start_background(app)
    # X-Forwarded-For is read by the app, only from IOC57_TRUSTED_PROXIES (uvicorn's own
    # default would trust it from any local client)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)


@main.command()
@click.option("--host", default=None, help="Address to listen on (IOC57_HOST, default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (IOC57_PORT, default 8057).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Serve the web app and API."""
    settings = commandline.settings(ctx)
    _serve(ctx, host or settings.host, port or settings.port)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8057, show_default=True)
@click.option(
    "--db",
    "db_path",
    default=None,
    metavar="FILE",
    help="An SQLite file: the same as --database-url sqlite:///FILE.",
)
@click.option("--no-serve", is_flag=True, help="Load the demo data and stop.")
@click.pass_context
def demo(ctx: click.Context, host: str, port: int, db_path: str | None, no_serve: bool) -> None:
    """Initialise the database, load demo data (dữ liệu mô phỏng) and serve."""
    from ioc57 import modules
    from ioc57.accounts.service import change_user
    from ioc57.bootstrap import init_database
    from ioc57.core.clock import today
    from ioc57.core.events import EventBus
    from ioc57.core.security import new_password
    from ioc57.ingest import simulation, simulator
    from ioc57.ingest.gate import Gate

    if db_path:
        commandline.use_database_url(ctx, f"sqlite:///{Path(db_path).resolve()}")
    _make_database_folder(ctx)
    engine = commandline.new_engine(ctx)
    commandline.open_database(commandline.settings(ctx), engine, must_exist=False)
    given = commandline.settings(ctx).admin_password
    result = init_database(engine, given)
    password = given or result.admin_password or new_password()
    demo_password = "demo-ioc57"
    with engine.begin() as conn:
        if not result.admin_created:  # a demo database: give the admin a password we can print
            change_user(conn, actor="ioc57-demo", username="admin", password=password)
    click.echo(f"units loaded: {result.units_loaded}")
    demo = modules.Demo(engine, Gate(engine, EventBus()), demo_password, today(), click.echo)
    for module in modules.installed():  # each loads its own, after the modules it builds on
        if module.demo is not None:
            resolve(module.demo)(demo)
    with engine.begin() as conn:
        sim_token = simulator.demo_source_token(conn, "82", today())
    click.echo("")
    click.echo(f"  ioc57 demo on http://{host}:{port}")
    _echo_logins(engine, password, demo_password)
    click.echo("  demo data is labelled 'dữ liệu mô phỏng' (simulated) wherever it shows")
    if not no_serve:
        click.echo(
            f"  simulated records flow in from source '{simulator.DEMO_SOURCE}'"
            f" at {simulator.DEMO_RATE:g} records/s: dữ liệu mô phỏng, not real data"
        )
    click.echo("")
    if not no_serve:
        local = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        simulator.start_in_background(
            f"http://{local}:{port}", sim_token, "82", simulation.types(), simulator.DEMO_RATE
        )
        _serve(ctx, host, port)


def _echo_logins(engine: Engine, admin_password: str, demo_password: str) -> None:
    """Who may log in to the demo: each user with their role and unit, and the passwords."""
    from ioc57.accounts.demo import demo_logins

    with engine.connect() as conn:
        logins = demo_logins(conn)
    width = max(len(username) for username, *_ in logins)
    click.echo("  log in as (user, role, unit):")
    for username, role, unit in logins:
        click.echo(f"    {username:<{width}}  {role:<8}  {unit}")
    click.echo(f"  passwords: admin {admin_password}, the demo users {demo_password}")


def _add_module_commands() -> None:
    from ioc57 import modules

    for module in modules.installed():
        for command in module.commands:
            main.add_command(command)
    commandline.take_database_url(main)


_add_module_commands()
