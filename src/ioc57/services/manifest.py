"""What the public-services module brings: procedures and dossiers, the live Decision 766 index
computed from them, and the indicators computed live from the dossiers."""

from __future__ import annotations

from ioc57.modules import Module
from ioc57.services import index_api
from ioc57.services.dossier import DOSSIER
from ioc57.services.indicators import PROVIDERS
from ioc57.services.procedure import PROCEDURE
from ioc57.services.simulation import Dossiers, ProcedureCatalogue

MODULE = Module(
    name="services",
    record_types=(PROCEDURE, DOSSIER),
    api=(index_api.router,),
    actions={
        # the index, the work list and the catalogue: every signed-in person but a data source,
        # an officer within its own unit's subtree
        "services.read": ("admin", "leader", "operator", "officer", "viewer"),
    },
    providers=PROVIDERS,
    simulation=(ProcedureCatalogue, Dossiers),
)
