"""What the public-services module brings: procedures and dossiers, and the indicators computed
live from the dossiers."""

from __future__ import annotations

from ioc57.modules import Module
from ioc57.services.dossier import DOSSIER
from ioc57.services.indicators import PROVIDERS
from ioc57.services.procedure import PROCEDURE
from ioc57.services.simulation import Dossiers, ProcedureCatalogue

MODULE = Module(
    name="services",
    record_types=(PROCEDURE, DOSSIER),
    providers=PROVIDERS,
    simulation=(ProcedureCatalogue, Dossiers),
)
