"""Simulated salinity for the forecast's tests (dữ liệu mô phỏng): the tide's M2 and K1 cycles
around a level, in proportion to it (as the simulator of ``ioc57.sensors.simulation``), noise,
readings lost at random and an outage; optionally an intrusion (the level ramps up threefold
over two days, five days before the end). Deterministic by seed."""

from __future__ import annotations

import math
import random

M2_H, K1_H = 12.42, 23.93
END = 1_764_000_000 - 1_764_000_000 % 3600  # a whole hour (late November 2025)


def tidal_readings(
    seed: int,
    days: int = 21,
    every_min: int = 15,
    *,
    base: float = 3.0,
    intrusion: bool = False,
    end: int = END,
    lost: float = 0.02,
    outage_h: tuple[int, int] | None = (240, 250),  # hours after the start without readings
) -> tuple[list[float], list[float]]:
    """(epoch seconds, values) of ``days`` days ending at ``end`` (excluded)."""
    rng = random.Random(seed)
    phase = rng.uniform(0, 2 * math.pi)
    start = end - days * 86400
    seconds, values = [], []
    for i in range(days * 24 * 60 // every_min):
        t = start + i * every_min * 60
        if outage_h and outage_h[0] * 3600 <= t - start < outage_h[1] * 3600:
            continue
        if rng.random() < lost:
            continue
        level = base
        ramp = (t - start) / 86400 - (days - 5)
        if intrusion and ramp > 0:
            level = base * (1 + 2.0 * min(ramp / 2, 1.0))
        hours = t / 3600
        tide = (
            1
            + 0.35 * math.sin(2 * math.pi * hours / M2_H + phase)
            + 0.15 * math.sin(2 * math.pi * hours / K1_H + phase / 2)
        )
        seconds.append(float(t))
        values.append(max(level * tide + rng.gauss(0, 0.03 * level), 0.05))
    return seconds, values
