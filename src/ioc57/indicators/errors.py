"""The scorecard's own messages a person may read, each with its stable code (``core.messages``):
the gate's checks of a reported value, and the entry, report and review pages' refusals."""

from __future__ import annotations

from ioc57.core.i18n import N_
from ioc57.core.messages import message

# the checks of an observation (``store.check_observation``)
UNKNOWN = message("indicators.unknown", N_("no indicator {indicator} in the catalogue"))
COMPUTED = message("indicators.computed", N_("this indicator is computed by ioc57, not reported"))
TOO_FINE = message(
    "indicators.period_too_fine", N_("{indicator} is reported per {period_type} or coarser")
)
ZERO = message("indicators.zero_denominator", N_("must not be 0"))
OVER = message("indicators.over_denominator", N_("is larger than the denominator of a percentage"))
PERCENT = message("indicators.percent_range", N_("a percentage lies between 0 and 100"))
BOTH = message("indicators.both_or_neither", N_("give both or neither"))

# the choice of a unit and a period (entry and report pages)
BAD_PERIOD = message(
    "indicators.period_invalid",
    N_("Write the period as a year (2025), a quarter (2025Q3) or a month (202509)."),
)
FUTURE = message("indicators.period_future", N_("That period has not begun yet."))
SHORT = message(
    "indicators.period_short",
    N_("Choose a year, a quarter or a month: no indicator is reported per week or day."),
)
NO_UNIT = message("indicators.unit_unknown", N_("No unit has code {unit} in this period."))
SCOPE = message(
    "indicators.out_of_scope", N_("You may report only for your unit and the units under it.")
)
NO_VALUE = message("indicators.no_value", N_("No value {value_id}."))
NO_FILE = message("indicators.no_file", N_("No file was kept with value {value_id}."))

# the report form
NOTHING = message(
    "indicators.nothing_filled",
    N_("Fill in a value, or a numerator and a denominator, for at least one indicator."),
)
NO_SOURCE = message(
    "indicators.source_missing",
    N_("Write where the figures come from: the report or document, its number and date."),
)
TOO_MANY = message("indicators.too_many", N_("Choose at most {n} indicators at a time."))
NOT_NUMBER = message("indicators.not_a_number", N_("Write a number, such as 1200 or 12,5."))
EVIDENCE_TOO_LARGE = message(
    "indicators.evidence_too_large", N_("The evidence file is larger than {mb} MB.")
)
