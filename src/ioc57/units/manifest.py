"""What the units module brings: the administrative units and agencies, their API and pages."""

from __future__ import annotations

from pathlib import Path

from ioc57.core.i18n import N_
from ioc57.modules import Link, Module, Panel
from ioc57.units import api, commands, pages, tables
from ioc57.units.demo import load_demo
from ioc57.units.overview import units_panel

MODULE = Module(
    name="units",
    tables=(tables.units, tables.unit_successions),
    api=(api.router,),
    pages=(pages.router,),
    templates=Path(__file__).resolve().parent / "templates",
    nav=(Link("/units", N_("Units"), 40),),
    panels=(Panel(units_panel, 20),),
    actions={"units.create": ("admin", "officer")},
    commands=(commands.agency,),
    demo=load_demo,
)
