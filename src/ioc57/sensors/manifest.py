"""What the sensors module brings: stations and their readings through the gate (salinity first),
the crops' thresholds, each station's forecast, its pages and the figures alert rules watch."""

from __future__ import annotations

from pathlib import Path

from ioc57.core.i18n import N_
from ioc57.modules import Layer, Link, Module, Panel, Tile
from ioc57.sensors import forecast_job, project, tables
from ioc57.sensors.commands import sensors_command
from ioc57.sensors.figure import FIGURE as READING_FIGURE
from ioc57.sensors.forecast_figure import FIGURE as FORECAST_FIGURE
from ioc57.sensors.records import READING, STATION
from ioc57.sensors.simulation import SalinityReadings, SalinityStations

HERE = Path(__file__).resolve().parent

MODULE = Module(
    name="sensors",
    record_types=(STATION, READING),
    tables=(
        tables.stations,
        tables.readings,
        tables.latest,
        tables.commune_crops,
        tables.forecasts,
    ),
    actions={
        # the stations, their readings and forecasts (an officer: its unit's)
        "sensors.read": ("admin", "leader", "operator", "officer", "viewer"),
        # stations and a commune's crops (an officer: its own commune's)
        "sensors.write": ("admin", "operator", "officer"),
    },
    api=(
        "ioc57.sensors.api:router",
        "ioc57.sensors.readings_api:router",
        "ioc57.sensors.crops_api:router",
        "ioc57.sensors.forecast_api:router",
    ),
    projectors={
        "station": (project.project_stations,),
        "reading": (project.project_readings,),
    },
    # the stations first: their readings need them
    simulation=(SalinityStations, SalinityReadings),
    # the live map of stations, a station's chart (fixed paths before parameters)
    pages=("ioc57.sensors.pages:router",),
    templates=HERE / "templates",
    static=HERE / "static",
    nav=(Link("/sensors", N_("Sensor stations"), 38),),
    panels=(Panel("ioc57.sensors.overview:sensors_panel", 26),),
    # the operations centre: the highest salinity now, and the stations on the map by level (no
    # watch: a station over its threshold or silent is an alert, listed by the alerts' watch)
    tiles=(
        Tile(
            "sensors.salinity",
            N_("Salinity"),
            "ioc57.sensors.centre:salinity_tile",
            order=60,
            events=("ingest.batch:reading",),
        ),
    ),
    layers=(
        Layer(
            "sensors.stations",
            N_("Salinity stations"),
            "ioc57.sensors.centre:stations_layer",
            order=10,
            events=("ingest.batch:reading", "ingest.batch:station"),
        ),
    ),
    commands=(sensors_command,),
    install=forecast_job.install,
    figures=(READING_FIGURE, FORECAST_FIGURE),
    demo="ioc57.sensors.demo:load_demo",
)
