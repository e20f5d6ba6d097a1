"""What every ``ioc57`` command reaches through its click context: the settings, one engine on a
database that is there and current, and the way a command refuses bad input."""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from sqlalchemy.engine import Engine, make_url

from ioc57.core.db import make_engine
from ioc57.core.problems import exit_with
from ioc57.core.settings import Settings, SettingsError, read_settings

fail = exit_with
DATABASE_URL_HELP = (
    "SQLAlchemy URL of the database (default IOC57_DATABASE_URL, else sqlite:///./ioc57.db)."
)


def settings(ctx: click.Context) -> Settings:
    """The settings ``ioc57`` read from the environment and its ``--database-url``."""
    found: Settings = ctx.obj["settings"]
    return found


def use_database_url(ctx: click.Context, url: str | None) -> None:
    """Name the command's database (``--database-url`` before or after the command's name)."""
    if url is None:
        return
    try:
        ctx.obj["settings"] = read_settings(database_url=url)
    except SettingsError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param_hint="'--database-url'") from exc
    ctx.obj.pop("engine", None)
    ctx.obj.pop("engine_checked", None)


def _database_url_given(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    use_database_url(ctx, value)


def take_database_url(command: click.Command) -> None:
    """Let ``command`` (and every command under a group) take ``--database-url`` after its name,
    as ``ioc57`` takes it before: one way to name the database, wherever it is typed."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            take_database_url(sub)
        return
    if any("--database-url" in getattr(p, "opts", ()) for p in command.params):
        return
    command.params.append(
        click.Option(
            ["--database-url"],
            default=None,
            expose_value=False,
            callback=_database_url_given,
            help=DATABASE_URL_HELP,
        )
    )


def database_error(found: Settings, why: str) -> NoReturn:
    """One line on stderr naming the database and what is wrong, then exit 2: no traceback."""
    url = make_url(found.database_url).render_as_string(hide_password=True)
    click.echo(f"error: cannot use the database {url}: {why}", err=True)
    sys.exit(2)


def open_database(found: Settings, engine: Engine, *, must_exist: bool) -> None:
    """Exit 2 with one clear line when the database cannot be opened or, when it ``must_exist``,
    is not there or has not the code's schema. A missing SQLite file is not made on the way."""
    from sqlalchemy.exc import DBAPIError

    from ioc57.core.migrate import current_revision, head_revision

    path = found.sqlite_path
    if must_exist and path is not None and not path.is_file():
        database_error(found, f"no database file at {path.absolute()} (run 'ioc57 init' first)")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        current = current_revision(engine) if must_exist else None
    except DBAPIError as exc:
        database_error(found, str(exc.orig or exc).strip().splitlines()[0])
    if must_exist and current != head_revision():
        database_error(
            found,
            f"its schema is at {current or 'nothing'}, the code at {head_revision()}"
            " (run 'ioc57 init' to create or migrate it)",
        )


def make(found: Settings, busy_timeout_s: float | None = None) -> Engine:
    """An engine on the database ``found`` names, or one line and exit 2 for a URL of no database
    ioc57 can drive (``nonsense://``, a driver not installed)."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        return make_engine(found.database_url, busy_timeout_s=busy_timeout_s)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        database_error(found, str(exc).strip().splitlines()[0])


def new_engine(ctx: click.Context) -> Engine:
    """The command's engine, made on first use and kept, on whatever is there (``init``, ``demo``
    and ``check`` look at the database themselves)."""
    if "engine" not in ctx.obj:
        ctx.obj["engine"] = make(settings(ctx))
    made: Engine = ctx.obj["engine"]
    return made


def engine(ctx: click.Context) -> Engine:
    """The command's engine, on a database that exists and is current: else one line and exit 2
    (a command on a fresh path says to run ``ioc57 init``, and leaves no empty file behind)."""
    if not ctx.obj.get("engine_checked"):
        open_database(settings(ctx), new_engine(ctx), must_exist=True)
        ctx.obj["engine_checked"] = True
    return new_engine(ctx)
