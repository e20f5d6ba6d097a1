"""``ioc57 sensors``: the sensor stations from the command line."""

from __future__ import annotations

import click
import orjson

from ioc57.core import commandline


@click.group("sensors")
def sensors_command() -> None:
    """Sensor stations: their readings and forecasts."""


@sensors_command.command("forecast")
@click.pass_context
def sensors_forecast(ctx: click.Context) -> None:
    """Forecast the next 48 hours of every station's series with a recent reading now (the app
    does it every IOC57_SENSORS_FORECAST_S seconds); prints what it made as JSON: each series'
    highest value in the next 24 hours and its error at 24 hours on held-out days against the
    same hour the day before."""
    from ioc57.sensors.forecasting import refresh  # numpy, only for this command

    made = refresh(commandline.engine(ctx))
    click.echo(orjson.dumps(made, option=orjson.OPT_INDENT_2).decode())
