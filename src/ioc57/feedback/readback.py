"""A citizen report as the gate reads it back (``ingest.readback``): whole, but for the citizen's
tracking code, to those who may read a reporter's contact (``feedback.contact``); to the others
without the contact and the address, and with the citizen's words redacted, as the staff's report
shows them (``queries.staff_report``)."""

from __future__ import annotations

from typing import Any

from ioc57.core.access import may
from ioc57.feedback.redact import redact

CONTACT = "feedback.contact"  # as ``access.CONTACT`` (imported there with the module's tables)
WORDS = ("text", "answer", "note")  # what the citizen or the agency wrote, redacted


def shown(data: dict[str, Any], principal: Any) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k != "tracking"}  # the citizen's key, never shown
    if may(principal, CONTACT):
        return out
    contact = out.pop("contact", None) or {}
    out.pop("address", None)
    known = (
        [contact.get(k) for k in ("name", "phone", "email")] if isinstance(contact, dict) else []
    )
    for key in WORDS:
        if out.get(key):
            out[key] = redact(out[key], known) or None
    return out
