"""What every ``ioc57`` command reaches through its click context: the settings, one engine, and
the way a command refuses bad input."""

from __future__ import annotations

import click
from sqlalchemy.engine import Engine

from ioc57.core.db import make_engine
from ioc57.core.problems import exit_with
from ioc57.core.settings import Settings

fail = exit_with


def settings(ctx: click.Context) -> Settings:
    """The settings ``ioc57`` loaded from the environment and its ``--database-url``."""
    found: Settings = ctx.obj["settings"]
    return found


def engine(ctx: click.Context) -> Engine:
    """The command's database engine, made on first use and kept for the rest of the command."""
    if "engine" not in ctx.obj:
        ctx.obj["engine"] = make_engine(settings(ctx).database_url)
    made: Engine = ctx.obj["engine"]
    return made
