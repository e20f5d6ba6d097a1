"""What the sensors module brings: stations and their readings through the gate (salinity first),
the crops' thresholds, each station's forecast, its pages and the figures alert rules watch."""

from __future__ import annotations

from pathlib import Path

from ioc57.core.figures import Figure
from ioc57.core.i18n import N_
from ioc57.modules import Module
from ioc57.sensors import forecast_job, tables
from ioc57.sensors.commands import sensors_command
from ioc57.sensors.records import READING, STATION
from ioc57.sensors.simulation import SalinityReadings

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
    simulation=(SalinityReadings,),
    api=("ioc57.sensors.forecast_api:router",),
    commands=(sensors_command,),
    install=forecast_job.install,
    figures=(
        Figure(
            name="sensors.forecast",
            label=N_("Highest forecast value in the next 24 hours"),
            samples="ioc57.sensors.forecast_figure:forecast_samples",
            params={"metric": N_("The metric (default salinity)")},
        ),
    ),
)
