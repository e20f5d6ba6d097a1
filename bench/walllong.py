"""The wall's endurance run: the demo's simulated records pushed at ``factor`` times the demo's
rate for ``minutes``, while the wall stays open; every ``sample_s`` the page's JS heap after a
forced GC, its DOM's size and its live counters.

The demo's rate is the simulator's (``ingest.simulator``): ``DEMO_RATE`` records a second, sent a
round every ``tick`` seconds (its records shared among the record types by weight, one batch per
type). Ten times it is the same rounds ten times as often: ten times the records and the batches
(the ``ingest.batch`` events). The run pushes through a simulated source of its own, one batch at
a time, as the simulator does.

No update missed: each push's ``ingest.batch`` event reaches a plain EventSource in the page, and
once the pushes stop the wall's figure of the watched tile equals the server's own
(``GET /api/v1/centre/tiles/{tile}`` as the same leader), after it moved by the records pushed."""

from __future__ import annotations

import re
import threading
import time

import httpx
from common import ioc57, log
from wallpage import DRAIN, TURN_SECONDS, WATCH
from wallrig import LEADER, PROVINCE, Heap, Pusher, Server, load_wall


def demo_rate() -> dict:
    """The demo's simulator: its rate, its round and the batches of a round."""
    from ioc57 import modules
    from ioc57.ingest import simulation, simulator

    modules.load()
    rate = simulator.DEMO_RATE
    tick = min(max(simulator.TICK_S[0], 20 / rate), simulator.TICK_S[1])
    weights = {t: g.weight for t, g in simulation.generators().items() if g.weight > 0}
    return {
        "records_per_s": rate,
        "round_s": tick,
        "records_per_round": rate * tick,
        "batches_per_round": len(weights),
        "batches_per_s": len(weights) / tick,
        "weights": weights,
    }


class Load(threading.Thread):
    """The demo's simulator at ``factor`` times its rate, each push timed."""

    def __init__(self, server: Server, factor: float, minutes: float) -> None:
        super().__init__(daemon=True)
        from ioc57.ingest import simulation
        from ioc57.ingest.simulator import Simulator

        self.demo = demo_rate()
        token = server.source(f"wall-load-{int(time.time())}", simulation.types(), simulated=True)
        self.pusher = Pusher(server.base, token)
        self.sim = Simulator(
            self.pusher.client, PROVINCE, simulation.types(), self.demo["records_per_s"]
        )
        self.every = self.demo["round_s"] / factor
        self.seconds = minutes * 60
        self.pushes: list[dict] = []
        self.failures = 0
        self.catalogue = 0  # the pushes of the catalogues, before the rounds
        self.stop = threading.Event()

    def run(self) -> None:
        self.sim.load_units()
        # the catalogues first, as the demo's simulator sends them
        self.send({t: g.start(self.sim.clock()) for t, g in self.sim.generators.items()})
        self.catalogue = len(self.pushes)
        start = next_round = time.monotonic()
        while not self.stop.is_set() and time.monotonic() < start + self.seconds:
            self.send(self.sim.batch(self.demo["records_per_round"]))
            next_round += self.every
            self.stop.wait(max(0.0, next_round - time.monotonic()))
        self.elapsed = time.monotonic() - start

    def send(self, batches: dict[str, list]) -> None:
        for record_type, records in batches.items():
            if not records:
                continue
            try:
                push = self.pusher.push(record_type, records)
            except httpx.HTTPError as exc:
                self.failures += 1
                log(f"push failed: {exc}")
                continue
            counts = push.pop("answer")
            push["changed"] = counts.get("accepted", 0) + counts.get("updated", 0)
            self.pushes.append(push)


def number(value) -> int | None:
    """A figure as shown ("24.120") or as the API gives it (24120) as an integer."""
    if isinstance(value, int | float):
        return round(value)
    digits = re.sub(r"\D", "", value or "")
    return int(digits) if digits else None


def endurance(context, server: Server, path: str, tile: str, minutes, factor, sample_s) -> dict:
    leader = ioc57(server.env, "token", "create", "--user", LEADER).strip().splitlines()[-1]
    page, _ = load_wall(context, path, cold=False)
    heap = Heap(page)
    value_before = page.evaluate(WATCH, tile)
    api_before = tile_value(server.base, leader, tile)
    load = Load(server, factor, minutes)
    samples = [heap.sample() | {"minute": 0.0}]
    events: dict[int, float] = {}
    started = time.monotonic()
    load.start()
    while load.is_alive():
        load.join(sample_s - (time.monotonic() - started) % sample_s)
        seen = page.evaluate(DRAIN)
        events.update({batch: at for at, batch in seen["events"]})
        samples.append(
            heap.sample()
            | {"minute": round((time.monotonic() - started) / 60, 2), "live": seen["live"]}
            | {
                "state": seen["state"],
                "visibility": seen["visibility"],
                "events_seen": seen["n_events"],
                "changes": seen["n_changes"],
            }
        )
        log(f"endurance: {samples[-1]}")
    # the last updates reach the page, and the figure's tile is shown (the pages rotate)
    api_after = tile_value(server.base, leader, tile)
    deadline = time.monotonic() + (120 if api_after is not None else 5)
    while time.monotonic() < deadline:
        seen = page.evaluate(DRAIN)
        events.update({batch: at for at, batch in seen["events"]})
        if seen["value"] is not None and number(seen["value"]) == number(api_after):
            break
        time.sleep(1)
        api_after = tile_value(server.base, leader, tile)
    end = heap.sample()
    page.close()
    # the same wall loaded afresh over the same data: what the data alone weighs (the layers hold
    # the records pushed meanwhile); the page that ran the whole time should weigh no more. A map
    # is drawn when its page first shows, so the fresh wall first turns through its pages once
    fresh_page, fresh_timings = load_wall(context, path, cold=False)
    turn = fresh_page.evaluate(TURN_SECONDS)
    time.sleep(min(turn + 2, 600) if turn else 0)
    fresh = Heap(fresh_page).sample() | {"ready_ms": round(fresh_timings["ready_ms"], 1)}
    fresh = fresh | {"turned_s": turn}
    fresh_page.close()
    load.pusher.close()
    pushes = load.pushes
    rounds = pushes[load.catalogue :]
    missing_events = sum(p["batch"] not in events for p in pushes)
    changed = sum(p["changed"] for p in pushes)
    wall_final = number(seen["value"])
    first, last = samples[0]["heap_used_mb"], end["heap_used_mb"]
    return {
        "path": path,
        "minutes": minutes,
        "seconds": round(load.elapsed, 1),
        "demo_rate": load.demo,
        "factor": factor,
        "pushes": len(pushes),
        "records": sum(p["records"] for p in pushes),
        "records_changed": changed,
        "push_failures": load.failures,
        "catalogue_pushes": load.catalogue,
        "records_per_s": round(sum(p["records"] for p in rounds) / load.elapsed, 1),
        "batches_per_s": round(len(rounds) / load.elapsed, 2),
        "events_seen": len(events),
        "missing_events": missing_events,
        "gaps": seen["gaps"],
        "tile": tile,
        "wall_before": value_before,
        "wall_after": seen["value"],
        "api_before": api_before,
        "api_after": api_after,
        "figure_matches": wall_final is not None and wall_final == number(api_after),
        "api_moved": _moved(api_before, api_after),
        "wall_moved": _moved(value_before, seen["value"]),
        "missed_updates": missing_events + (0 if wall_final == number(api_after) else 1),
        "live": seen["live"],
        "state": seen["state"],
        "heap": {
            "start_mb": first,
            "end_mb": last,
            "growth_pct": round((last - first) / first * 100, 1) if first else None,
            "max_mb": max(s["heap_used_mb"] for s in [*samples, end]),
            "start_nodes": samples[0]["nodes"],
            "end_nodes": end["nodes"],
            "start_listeners": samples[0]["listeners"],
            "end_listeners": end["listeners"],
            "fresh_load_mb": fresh["heap_used_mb"],
            "fresh_load_nodes": fresh["nodes"],
            "fresh_load_listeners": fresh["listeners"],
            "fresh_load_ready_ms": fresh["ready_ms"],
            "fresh_load_turned_s": fresh["turned_s"],
            "above_fresh_load_mb": round(last - fresh["heap_used_mb"], 2),
            "above_fresh_load_pct": round(
                (last - fresh["heap_used_mb"]) / fresh["heap_used_mb"] * 100, 1
            ),
        },
        "samples": samples + [end | {"minute": "end"}],
    }


def _moved(before, after) -> int | None:
    b, a = number(before), number(after)
    return None if a is None or b is None else a - b


def tile_value(base: str, token: str, tile: str):
    r = httpx.get(
        f"{base}/api/v1/centre/tiles/{tile}", headers={"Authorization": f"Bearer {token}"}
    )
    if r.status_code != 200:
        return None
    body = r.json()
    return body.get("value") if isinstance(body, dict) else None
