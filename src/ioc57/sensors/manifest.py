"""What the sensors module brings: the ``reading`` record (salinity stations first)."""

from __future__ import annotations

from ioc57.modules import Module
from ioc57.sensors.records import READING
from ioc57.sensors.simulation import SalinityReadings

MODULE = Module(name="sensors", record_types=(READING,), simulation=(SalinityReadings,))
