"""The forecasts made again every ``settings.sensors_forecast_s`` seconds while ``ioc57 serve``
runs (the manifest's ``install``). The model (numpy) is imported by the first round, not with the
app: every process that never forecasts starts without it."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from ioc57.core.periodic import Periodic

log = logging.getLogger(__name__)


def install(app: FastAPI) -> None:
    engine = app.state.engine

    def work() -> None:
        from ioc57.sensors.forecasting import refresh

        made = refresh(engine)
        log.info("sensors: %d forecasts made", len(made))

    job = Periodic("sensors-forecast", app.state.settings.sensors_forecast_s, work)
    app.state.background.append((job.start, job.stop))
