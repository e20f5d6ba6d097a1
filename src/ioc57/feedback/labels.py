"""The words people read for a report's statuses, channels, steps and deadline flags (message ids,
translated where they show: Vietnamese first)."""

from __future__ import annotations

from ioc57.core.i18n import N_

STATUS = {
    "received": N_("Received"),
    "refused": N_("Refused"),
    "forwarded": N_("Forwarded"),
    "in_progress": N_("In progress"),
    "info_requested": N_("Information requested"),
    "answered": N_("Answered"),
    "published": N_("Published"),
    "closed": N_("Closed"),
    "reopened": N_("Reopened"),
    "merged": N_("Merged"),
}
CHANNEL = {
    "phone": N_("Hotline 1022"),
    "web": N_("Web form"),
    "app": N_("Mobile app"),
    "zalo": N_("Zalo"),
    "email": N_("Email"),
    "open311": N_("Open311 app"),
}
STEP = {
    "forward": N_("Forward to the agency"),
    "refuse": N_("Refuse"),
    "merge": N_("Merge as a duplicate"),
    "start": N_("Start work"),
    "request_info": N_("Ask for more information"),
    "answer": N_("Answer"),
    "publish": N_("Publish the answer"),
    "close": N_("Close"),
    "reopen": N_("Reopen"),
    "rate": N_("Record the citizen's rating"),
    "reply": N_("Record the information the citizen added"),
}
DUE_STEP = {
    "triage": N_("to take up or refuse"),
    "answer": N_("to answer"),
    "publish": N_("to publish"),
}
FLAG = {"near": N_("Deadline near"), "late": N_("Past deadline")}
SATISFACTION = {"satisfied": N_("Satisfied"), "unsatisfied": N_("Not satisfied")}
