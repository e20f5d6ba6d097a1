"""What a person reads for the codes of the tasks module: statuses (``status.LABELS``),
recurrences, the steps of a task's timeline, reminders (message ids, translated where they
show)."""

from __future__ import annotations

from ioc57.core.i18n import N_
from ioc57.tasks.status import LABELS as STATUSES

RECURRENCES = {
    "yearly": N_("Yearly report"),
    "half-yearly": N_("Half-yearly report"),
    "quarterly": N_("Quarterly report"),
    "monthly": N_("Monthly report"),
    "ongoing": N_("Ongoing"),
}
EVENTS = {
    "planned": N_("Assigned"),
    "changed": N_("Assignment changed"),
    "reported": N_("Progress reported"),
    "completion_claimed": N_("Completion reported, with evidence"),
    "confirmed": N_("Completion confirmed"),
    "completion_refused": N_("Completion refused"),
    "extended": N_("Deadline extended"),
    "answered": N_("Difficulties answered"),
    "reminded": N_("Reminder sent"),
}
REMINDERS = {"due_soon": N_("Deadline soon"), "overdue": N_("Became overdue")}
LABELS = {
    "statuses": STATUSES,
    "recurrences": RECURRENCES,
    "events": EVENTS,
    "reminders": REMINDERS,
}
