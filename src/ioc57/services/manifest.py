"""What the public-services module brings: procedures and dossiers, the indicators computed live
from the dossiers, the operator's work list and the procedure catalogue."""

from __future__ import annotations

from ioc57.modules import Module
from ioc57.services import tables, worklist, worklist_api
from ioc57.services.commands import worklist_command
from ioc57.services.dossier import DOSSIER
from ioc57.services.indicators import PROVIDERS
from ioc57.services.procedure import PROCEDURE
from ioc57.services.simulation import Dossiers, ProcedureCatalogue

MODULE = Module(
    name="services",
    record_types=(PROCEDURE, DOSSIER),
    tables=(tables.open_dossiers,),
    api=(worklist_api.router,),
    actions={
        # the work list, a dossier, the procedure catalogue: within one's unit for an officer
        "services.read": ("admin", "leader", "operator", "officer", "viewer"),
    },
    commands=(worklist_command,),
    providers=PROVIDERS,
    projectors={"dossier": (worklist.project,)},
    simulation=(ProcedureCatalogue, Dossiers),
)
