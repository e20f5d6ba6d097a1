"""What the units module brings: the administrative units and agencies, their API and pages."""

from __future__ import annotations

from pathlib import Path

from ioc57.core.i18n import N_
from ioc57.modules import Link, Module, Panel
from ioc57.units import commands, tables

MODULE = Module(
    name="units",
    tables=(tables.units, tables.unit_successions),
    api=("ioc57.units.api:router",),
    pages=("ioc57.units.pages:router",),
    templates=Path(__file__).resolve().parent / "templates",
    nav=(Link("/units", N_("Units"), 40),),
    panels=(Panel("ioc57.units.overview:units_panel", 20),),
    actions={"units.create": ("admin", "officer")},
    commands=(commands.agency,),
    demo="ioc57.units.demo:load_demo",
)
