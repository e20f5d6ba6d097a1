"""What a notification says: the body of a webhook in Alertmanager's shape (version 4, so that a
receiver written for Alertmanager reads it as it is), and an email's subject and text in
Vietnamese, made from that body. Labels, figures and times only: no personal data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any

from ioc57.core.clock import LOCAL_TZ, stored_utc
from ioc57.core.i18n import N_, gettext, number
from ioc57.core.mail import MAIL_POLICY

ZERO_TIME = "0001-01-01T00:00:00Z"  # Alertmanager's endsAt of an alert still firing
SEVERITIES = ("info", "warning", "critical")
LANG = "vi"  # emails are read in the province's language
# the words of an email (translated into Vietnamese in the catalogue)
WORDS = {
    "firing": N_("Alerting"),
    "resolved": N_("Resolved"),
    "nodata": N_("No data"),
    "error": N_("Evaluation error"),
    "value": N_("value"),
    "threshold": N_("threshold"),
    "since": N_("since"),
    "until": N_("until"),
    "intro": N_("Alerts from the operations centre:"),
    "footer": N_("This message was sent automatically; see the alerts page for details."),
}


@dataclass(frozen=True)
class Alert:
    """One alert instance as a notification carries it."""

    id: int
    fingerprint: str
    state: str  # firing, nodata, error, or resolved (also: no longer alerting)
    labels: Mapping[str, str]
    title: str
    severity: str
    value: float | None
    threshold: float | None
    starts_at: datetime
    ends_at: datetime | None

    @property
    def status(self) -> str:
        return "resolved" if self.state == "resolved" else "firing"


def _iso(value: datetime | None) -> str:
    return stored_utc(value).isoformat().replace("+00:00", "Z") if value else ZERO_TIME


def _figure(value: float | None) -> str:
    return "" if value is None else format(value, "g")


def alert_json(alert: Alert, base_url: str) -> dict[str, Any]:
    annotations = {"title": alert.title, "state": alert.state}
    if alert.value is not None:
        annotations["value"] = _figure(alert.value)
    if alert.threshold is not None:
        annotations["threshold"] = _figure(alert.threshold)
    return {
        "status": alert.status,
        "labels": dict(alert.labels),
        "annotations": annotations,
        "startsAt": _iso(alert.starts_at),
        "endsAt": _iso(alert.ends_at) if alert.status == "resolved" else ZERO_TIME,
        "generatorURL": f"{base_url.rstrip('/')}/alerts/{alert.id}",
        "fingerprint": alert.fingerprint,
    }


def _common(maps: Sequence[Mapping[str, str]]) -> dict[str, str]:
    if not maps:
        return {}
    first = maps[0]
    return {k: v for k, v in first.items() if all(m.get(k) == v for m in maps[1:])}


def group_key_text(rule: str, group_labels: Mapping[str, str]) -> str:
    """The group as Alertmanager names it: ``{}/{rule}:{label="value", ...}``."""
    inner = ", ".join(f'{k}="{v}"' for k, v in sorted(group_labels.items()))
    return f'{{}}/{{alertname="{rule}"}}:{{{inner}}}'


def webhook_body(
    receiver: str,
    rule: str,
    group_labels: Mapping[str, str],
    alerts: Sequence[Alert],
    base_url: str,
) -> dict[str, Any]:
    """The body a webhook receives, as Alertmanager's ``version: 4``."""
    firing = any(a.status == "firing" for a in alerts)
    return {
        "version": "4",
        "groupKey": group_key_text(rule, group_labels),
        "truncatedAlerts": 0,
        "status": "firing" if firing else "resolved",
        "receiver": receiver,
        "groupLabels": dict(group_labels),
        "commonLabels": _common([a.labels for a in alerts]),
        "commonAnnotations": _common(
            [{"title": a.title} for a in alerts]  # the rule's title, shared by the group
        ),
        "externalURL": base_url,
        "alerts": [alert_json(a, base_url) for a in alerts],
    }


def _when(text: str) -> str:
    if text == ZERO_TIME:
        return "—"
    return datetime.fromisoformat(text).astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def email_message(body: Mapping[str, Any], sender: str, to: Sequence[str]) -> EmailMessage:
    """An email of a notification's body: a subject that counts the alerts, a line for each."""
    say = lambda word: gettext(LANG, WORDS[word])  # noqa: E731
    fmt = number(LANG)
    alerts = body["alerts"]
    firing = [a for a in alerts if a["status"] == "firing"]
    resolved = [a for a in alerts if a["status"] == "resolved"]
    title = body.get("commonAnnotations", {}).get("title") or body["groupKey"]
    counts = []
    if firing:
        counts.append(f"{say('firing')}: {len(firing)}")
    if resolved:
        counts.append(f"{say('resolved')}: {len(resolved)}")
    lines = [say("intro"), ""]
    for alert in firing + resolved:
        notes = alert["annotations"]
        state = notes.get("state", alert["status"])
        word = say(state) if state in WORDS else state
        labels = ", ".join(f"{k}={v}" for k, v in sorted(alert["labels"].items()))
        line = f"- [{word}] {labels}"
        if "value" in notes:
            line += f"; {say('value')} {fmt(float(notes['value']))}"
        if "threshold" in notes:
            line += f" ({say('threshold')} {fmt(float(notes['threshold']))})"
        line += f"; {say('since')} {_when(alert['startsAt'])}"
        if alert["status"] == "resolved":
            line += f"; {say('until')} {_when(alert['endsAt'])}"
        lines.append(line)
        lines.append(f"  {alert['generatorURL']}")
    lines += ["", say("footer")]
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = f"[{', '.join(counts)}] {title}"
    message["From"] = sender
    message["To"] = ", ".join(to)
    message.set_content("\n".join(lines))
    return message


def at_least(severity: str, minimum: str) -> bool:
    """Whether ``severity`` is ``minimum`` or graver (an unknown one counts as the least)."""
    rank = {name: i for i, name in enumerate(SEVERITIES)}
    return rank.get(severity, 0) >= rank.get(minimum, 0)
