"""What the operations centre brings: the leader's home (what needs attention today, key figures),
the wall (``/wall``, named layouts as data, read-only device tokens), and the daily brief — all
made of the concerns, tiles and map layers the installed modules declare in their manifests."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from ioc57.centre import tables
from ioc57.centre.brief_commands import brief_command
from ioc57.modules import Module

HERE = Path(__file__).resolve().parent


def _install(app: FastAPI) -> None:
    from ioc57.centre.brief_job import BriefJob  # the web app's background work, not a command's

    # the daily brief by email, each working day at IOC57_BRIEF_AT, once ``ioc57 serve`` runs it
    job = BriefJob(app.state.engine, app.state.settings)
    app.state.background.append((job.start, job.stop))


MODULE = Module(
    name="centre",
    tables=(tables.wall_layouts, tables.brief_subscriptions, tables.brief_deliveries),
    actions={
        # the home's list of what needs attention, its key figures, the wall
        "centre.read": ("admin", "leader", "operator", "officer", "viewer"),
        # save and remove wall layouts
        "centre.layouts": ("admin", "operator"),
        # issue and revoke wall displays' device tokens
        "centre.devices": ("admin",),
        # read the daily brief of any day, subscribe to it by email
        "centre.brief": ("admin", "leader", "operator", "officer"),
    },
    # the API of the home's parts and map layers; the daily brief; the wall's named layouts; wall
    # displays
    api=(
        "ioc57.centre.brief_api:router",
        "ioc57.centre.api:router",
        "ioc57.centre.layouts_api:router",
        "ioc57.centre.devices_api:router",
    ),
    # the leader's home at ``/`` (mounted before the web's overview) and its live fragments; the
    # daily brief's page; the wall displays' /wall/connect and /wall/devices; the wall last:
    # ``/wall/{layout}`` would take any fixed page under /wall mounted after it
    pages=(
        "ioc57.centre.home:router",
        "ioc57.centre.briefpage:router",
        "ioc57.centre.devices_pages:router",
        "ioc57.centre.wall:router",
    ),
    commands=(brief_command,),
    install=_install,
    demo="ioc57.centre.demo:load_demo",
    templates=HERE / "templates",
    static=HERE / "static",
)
