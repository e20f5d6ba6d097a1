"""A simulator that needs no server: the units API answered by a stand-in."""

from __future__ import annotations

import httpx

from ioc57.ingest.simulator import Simulator


def offline(types: list[str], rate: float = 100) -> Simulator:
    """A simulator on a province of 30 communes served by a stand-in for the units API."""

    def units(request: httpx.Request) -> httpx.Response:
        if request.url.params["level"] == "agency":
            return httpx.Response(200, json={"items": [{"code": "000.00.01.H57"}]})
        items = [
            {"code": f"{n:05d}", "name": f"Xã {n}", "lat": 10.3, "lon": 106.0 + n / 100}
            for n in range(30)
        ]
        return httpx.Response(200, json={"items": items})

    client = httpx.Client(base_url="http://ioc57.test", transport=httpx.MockTransport(units))
    simulator = Simulator(client, "82", types, rate, seed=57, pace=0)
    simulator.load_units()
    return simulator
