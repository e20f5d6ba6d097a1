"""How a progress status reads and looks: one label and one colour each, for pages and files."""

from __future__ import annotations

from ioc57.core.i18n import N_

# status -> (message id, colour); the colours keep apart for the common kinds of colour blindness
# because every tile and row also says its status in words.
STATUS = {
    "target_achieved": (N_("Target achieved"), "#0a6b3d"),
    "on_track": (N_("On track"), "#2e9e5b"),
    "needs_acceleration": (N_("Needs acceleration"), "#c99a06"),
    "limited_progress": (N_("Limited progress"), "#e0701e"),
    "deterioration": (N_("Deterioration"), "#c62828"),
    "not_available": (N_("Not enough data"), "#8a939c"),
}
ORDER = list(STATUS)  # best first, "not enough data" last
WORST_FIRST = [*reversed(ORDER[:-1]), ORDER[-1]]  # a leader's tiles: what needs action first


def label(status: str | None) -> str:
    return STATUS.get(status or "not_available", STATUS["not_available"])[0]


def colour(status: str | None) -> str:
    return STATUS.get(status or "not_available", STATUS["not_available"])[1]
