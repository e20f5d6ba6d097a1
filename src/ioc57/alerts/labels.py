"""What a person reads for the alerts' codes (states, severities, operators), as message ids:
the pages translate them where they show."""

from __future__ import annotations

from ioc57.core.i18n import N_

STATES = {
    "normal": N_("normal"),
    "pending": N_("pending"),
    "firing": N_("firing"),
    "resolved": N_("resolved"),
    "nodata": N_("no data"),
    "error": N_("error"),
}
SEVERITIES = {
    "critical": N_("critical"),
    "warning": N_("warning"),
    "info": N_("information"),
}
KINDS = {
    "threshold": N_("a threshold"),
    "nodata": N_("no data for a while"),
}
OPS = {
    ">": N_("above"),
    ">=": N_("at or above"),
    "<": N_("below"),
    "<=": N_("at or below"),
    "==": N_("equal to"),
    "!=": N_("not equal to"),
}
MATCHER_OPS = {
    "=": N_("is"),
    "!=": N_("is not"),
    "=~": N_("matches"),
    "!~": N_("does not match"),
}
DELIVERY = {
    "pending": N_("waiting"),
    "sent": N_("sent"),
    "dead": N_("failed (dead letter)"),
}
# the evaluator's and the service's fixed words in a transition's reason (the others are figures,
# such as "2.4 > 1", or an error's own words)
REASONS = {
    "acknowledged": N_("acknowledged"),
    "no recent data": N_("no recent data"),
    "series gone": N_("the series is gone"),
    "data": N_("data again"),
}
