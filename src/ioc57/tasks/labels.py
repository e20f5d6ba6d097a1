"""What a person reads for the codes of the tasks module: statuses, recurrences, the steps of a
task's timeline (message ids, translated where they show)."""

from __future__ import annotations

from ioc57.core.i18n import N_

# in the order a status report lists them (``status.STATUSES``)
STATUSES = {
    "completed_on_time": N_("Completed on time"),
    "completed_late": N_("Completed late"),
    "within_deadline": N_("Within deadline"),
    "overdue": N_("Overdue"),
    "reported": N_("Reported for this period"),
    "not_reported": N_("Not reported for this period"),
}
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
