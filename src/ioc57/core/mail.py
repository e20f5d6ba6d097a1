"""Sending an email through the app's SMTP server (``IOC57_SMTP_*``): the alerts' notifications
and the operations centre's daily brief."""

from __future__ import annotations

import email.policy
import smtplib
from email.message import EmailMessage

from ioc57.core.settings import Settings

# Python's folding of a long non-ASCII header into several encoded words drops the space where it
# folds ("vượt ngưỡng" read back as "vượtngưỡng"): a subject is kept on one line (RFC 5322's
# limit of 998 characters)
MAIL_POLICY = email.policy.SMTP.clone(max_line_length=998)


class NotSent(Exception):
    """The SMTP server did not take the message (or none is set): the reason, to be recorded."""


def send(settings: Settings, message: EmailMessage) -> None:
    """Hand ``message`` to the SMTP server; ``NotSent`` says why it was not taken."""
    if not settings.smtp_host:
        raise NotSent("no SMTP server is set (IOC57_SMTP_HOST)")
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.webhook_timeout_s
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise NotSent(f"{type(exc).__name__}: {exc}") from exc
