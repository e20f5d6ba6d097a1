"""The domain modules of ioc57, loaded once so that they can plug into the gate and the pages."""

from __future__ import annotations

_loaded = False


def load() -> None:
    global _loaded
    if _loaded:
        return
    from ioc57.indicators import plugin as indicators
    from ioc57.services import indicators as services

    indicators.register()
    services.register()
    _loaded = True
