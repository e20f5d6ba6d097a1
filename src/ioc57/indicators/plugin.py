"""How the scorecard plugs into the gate: it checks observations and stores them as values."""

from __future__ import annotations

from ioc57.indicators import store
from ioc57.ingest import hooks


def register() -> None:
    hooks.register_check("observation", store.check_observation)
    hooks.register_projector("observation", store.project)
