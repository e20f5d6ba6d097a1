"""The units' messages a person may read (``core.messages``): the API says them in English with
their code, a page in its language."""

from __future__ import annotations

from ioc57.core.i18n import N_
from ioc57.core.messages import message

NO_UNIT = message("units.unknown", N_("No unit has code '{code}' on {day}."))
UNKNOWN_UNIT = message("units.unknown_unit", N_("unknown unit"))
NO_UNIT_FIELD = message("units.unknown_field", N_("no unit has code '{code}' on {day}"))
