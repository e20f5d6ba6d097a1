"""Who may call each route of the app: one rule per (method, path), for the API and the pages.

A rule names the action the route takes, as ``ioc57.core.access.POLICY`` spells it, so the roles
that may call it come from the policy itself (change the policy, the expectations follow). A route
open to everyone is ``PUBLIC``; one whose check is not (yet) a POLICY action names its roles.
``tests/accounts/test_route_matrix.py`` enumerates the app's routes and fails on a route with no
rule here (and on a rule for a route that is gone), then calls every route as every role.

Each rule also says how to call the route with minimal valid input (``Call``), filled from the
seeded database (``tests.web.seed.Seeded``); ``n`` is a number unique to the call, for the names
a write creates. Allowed means: neither 401 nor 403, nor a redirect to the login page.

Adding a route: add its rule in its module's block below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ioc57.core.access import ALL, POLICY

from ..ingest.records import feedback, observation

PUBLIC = "public"
NO_ID = 2**31 - 1  # a report or an evidence file no one sent
ROLES = ("anonymous", "viewer", "officer", "operator", "leader", "admin", "system")
ALLOWED, DENIED, LOGIN = "allowed", "denied (403)", "not signed in (401 or the login page)"

Inputs = Callable[[Any, int], dict]


@dataclass(frozen=True)
class Rule:
    who: str | tuple[str, ...]  # a POLICY action, PUBLIC, or the roles that may call the route
    call: Inputs = field(default=lambda data, n: {})  # path parameters, params, json, form, files
    # outcomes that differ from what ``who`` gives, by role (e.g. logout sends everyone to login)
    except_for: dict[str, str] = field(default_factory=dict)

    def roles(self) -> tuple[str, ...]:
        if self.who == PUBLIC:
            return ("anonymous", *ALL)
        if isinstance(self.who, str):
            return POLICY[self.who]
        return self.who

    def expected(self, role: str) -> str:
        if role in self.except_for:
            return self.except_for[role]
        if role in self.roles():
            return ALLOWED
        return LOGIN if role == "anonymous" else DENIED


def _alert_rule(name: str) -> dict:
    # a figure a module offers (until it does, the rule is refused with 422: still allowed)
    return {"name": name, "title": name, "figure": "sensors.reading", "threshold": 1.0}


def _silence(n: int) -> dict:
    return {
        "matchers": [{"name": "alertname", "value": f"route-{n}"}],
        "ends_at": "2099-01-01T00:00:00+07:00",
        "comment": "route matrix",
    }


def _agency(data, n):
    return {"json": {"code": f"M-{n}", "name": f"Cơ quan {n}", "parent": "82", "type": "cơ quan"}}


def _feedback_csv(data, n) -> bytes:
    return (
        "id,channel,received_at,category,text,unit,status\n"
        f"M-{n},web,2025-09-02T09:30:00+07:00,moi-truong,Đèn đường hỏng,28261,received\n"
    ).encode()


def _programme(n) -> dict:
    return {
        "code": f"M-{n}",
        "title": f"Kế hoạch {n}",
        "issued_by": "UBND tỉnh",
        "issued_date": "2025-05-06",
        "unit": "82",
    }


def _task(data, n) -> dict:
    return {
        "programme": "SEED-57",
        "code": f"M-{n}",
        "content": f"Nhiệm vụ {n}",
        "lead_agency": data.agency,
        "recurrence": "quarterly",
    }


def _tasks_csv(data, n) -> bytes:
    return (
        f"programme,code,content,lead_agency,deadline\nSEED-57,F-{n},Nhiệm vụ {n},{data.agency},"
        "2030-06-30\n"
    ).encode()


def _epcis_event(data, n) -> dict:
    """An EPCIS 2.0 event naming its unit (the province: every writer's scope)."""
    return {
        "type": "ObjectEvent",
        "eventTime": "2025-07-15T06:30:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "bizStep": "inspecting",
        "epcList": [f"urn:epc:id:sgtin:8935001.000001.M{n}"],
        "unit": "82",
    }


def _epcis_document(data, n) -> dict:
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-07-20T08:00:00+07:00",
        "epcisBody": {"eventList": [_epcis_event(data, n)]},
    }


def _lot(data, n) -> dict:
    return {"path": {"gtin": "08935001000013", "lot": "L1"}}


RULES: dict[tuple[str, str], Rule] = {
    # -- web: health, the OpenAPI document, overview, language --------------------------------
    ("GET", "/healthz"): Rule(PUBLIC),
    ("GET", "/readyz"): Rule(PUBLIC),
    ("GET", "/metrics"): Rule(PUBLIC),
    ("GET", "/api/v1/openapi.json"): Rule(PUBLIC),
    ("GET", "/"): Rule(PUBLIC),
    ("GET", "/lang/{lang}"): Rule(PUBLIC, lambda d, n: {"path": {"lang": "en"}}),
    ("GET", "/api/v1/stream"): Rule(
        # a malformed event type answers 422 after the access check: the call ends at once
        "stream.read",
        lambda d, n: {"params": {"types": "not a type"}},
    ),
    # -- accounts ----------------------------------------------------------------------------
    ("GET", "/login"): Rule(PUBLIC),
    ("POST", "/login"): Rule(PUBLIC, lambda d, n: {"form": "login"}),
    ("POST", "/logout"): Rule(PUBLIC, except_for=dict.fromkeys(ROLES, LOGIN)),
    ("GET", "/api/v1/users"): Rule("users.read"),
    ("POST", "/api/v1/users"): Rule(
        "users.write",
        lambda d, n: {"json": {"username": f"matrix{n}", "role": "viewer"}},
    ),
    ("PATCH", "/api/v1/users/{username}"): Rule(
        "users.write",
        lambda d, n: {
            "path": {"username": d.usernames["viewer"]},
            "json": {"display_name": f"Người xem {n}"},
        },
    ),
    ("POST", "/api/v1/tokens"): Rule("tokens.create_own", lambda d, n: {"json": {"name": f"t{n}"}}),
    ("GET", "/api/v1/tokens"): Rule("tokens.manage_own"),
    ("DELETE", "/api/v1/tokens/{token_id}"): Rule(
        # a token no one holds: 404 to those who may revoke, refused to the others
        "tokens.manage_own",
        lambda d, n: {"path": {"token_id": 2**31 - 1}},
    ),
    ("GET", "/api/v1/audit"): Rule("audit.read"),
    # -- centre: wall displays' device keys (none with that id: a 404 to the admin) ------------
    ("GET", "/wall/connect"): Rule(PUBLIC),
    # an empty key: the form again (422), not counted as a guess
    ("POST", "/wall/connect"): Rule(PUBLIC, lambda d, n: {"form": {"key": ""}}),
    ("GET", "/wall/devices"): Rule("centre.devices"),
    ("POST", "/wall/devices"): Rule("centre.devices", lambda d, n: {"form": {"name": f"w{n}"}}),
    ("POST", "/wall/devices/{device_id}/revoke"): Rule(
        "centre.devices", lambda d, n: {"path": {"device_id": NO_ID}}
    ),
    ("GET", "/api/v1/devices"): Rule("centre.devices"),
    ("POST", "/api/v1/devices"): Rule("centre.devices", lambda d, n: {"json": {"name": f"w{n}"}}),
    ("DELETE", "/api/v1/devices/{device_id}"): Rule(
        "centre.devices", lambda d, n: {"path": {"device_id": NO_ID}}
    ),
    # -- centre: the leader's home, its live parts, the wall and its layouts, the daily brief -----
    ("GET", "/api/v1/centre/concerns"): Rule("centre.read"),
    ("GET", "/api/v1/centre/tiles"): Rule("centre.read"),
    ("GET", "/api/v1/centre/tiles/{name}"): Rule(
        "centre.read", lambda d, n: {"path": {"name": "ingest.today"}}
    ),
    ("GET", "/api/v1/centre/layers/{name}"): Rule(
        "centre.read", lambda d, n: {"path": {"name": "sensors.stations"}}
    ),
    ("GET", "/centre/concerns"): Rule("centre.read"),
    ("GET", "/centre/feed"): Rule("centre.read"),
    ("GET", "/centre/tiles/{name}"): Rule(
        "centre.read", lambda d, n: {"path": {"name": "ingest.today"}}
    ),
    ("GET", "/wall"): Rule("centre.read"),
    ("GET", "/wall/{name}"): Rule("centre.read", lambda d, n: {"path": {"name": "canh-bao"}}),
    ("GET", "/api/v1/centre/layouts"): Rule("centre.read"),
    ("GET", "/api/v1/centre/layouts/{name}"): Rule(
        "centre.read", lambda d, n: {"path": {"name": "dieu-hanh"}}
    ),
    ("PUT", "/api/v1/centre/layouts/{name}"): Rule(
        "centre.layouts",
        lambda d, n: {
            "path": {"name": f"route-{n}"},
            "json": {
                "title": "Route",
                "pages": [
                    {"title": "One", "rows": 1, "panels": [{"kind": "concerns", "cols": 12}]}
                ],
            },
        },
    ),
    ("DELETE", "/api/v1/centre/layouts/{name}"): Rule(
        "centre.layouts", lambda d, n: {"path": {"name": "none-saved"}}
    ),
    ("GET", "/brief"): Rule("centre.brief"),
    ("POST", "/brief/subscription"): Rule(
        "centre.brief", lambda d, n: {"form": {"action": "unsubscribe"}}
    ),
    ("GET", "/api/v1/centre/brief/{day}.{kind}"): Rule(
        "centre.brief", lambda d, n: {"path": {"day": "2026-01-05", "kind": "docx"}}
    ),
    ("POST", "/api/v1/centre/brief/subscription"): Rule("centre.brief"),
    ("DELETE", "/api/v1/centre/brief/subscription"): Rule("centre.brief"),
    # -- units -------------------------------------------------------------------------------
    ("GET", "/api/v1/units"): Rule(PUBLIC),
    ("GET", "/api/v1/units/resolve"): Rule(PUBLIC, lambda d, n: {"params": {"name": "Đồng Tháp"}}),
    ("GET", "/api/v1/units/{code}"): Rule(PUBLIC, lambda d, n: {"path": {"code": "82"}}),
    ("POST", "/api/v1/units"): Rule("units.create", _agency),
    ("GET", "/units"): Rule(PUBLIC),
    ("GET", "/units/{code}"): Rule(PUBLIC, lambda d, n: {"path": {"code": "82"}}),
    # -- ingest: the gate, sources, the import page ------------------------------------------
    ("POST", "/api/v1/ingest/{record_type}"): Rule(
        "ingest.push",
        lambda d, n: {
            "path": {"record_type": "feedback"},
            "params": {"source": d.source},
            "json": [feedback(n, unit="28261")],
        },
    ),
    ("GET", "/api/v1/ingest/batches"): Rule("ingest.read"),
    ("GET", "/api/v1/ingest/batches/{batch_id}/errors.csv"): Rule(
        "ingest.read", lambda d, n: {"path": {"batch_id": d.batch_id}}
    ),
    ("GET", "/api/v1/sources"): Rule("sources.read"),
    ("POST", "/api/v1/sources"): Rule(
        "sources.write",
        lambda d, n: {"json": {"name": f"matrix-{n}", "types": ["feedback"], "units": ["82"]}},
    ),
    ("GET", "/api/v1/sources/{name}"): Rule(
        "sources.read", lambda d, n: {"path": {"name": d.source}}
    ),
    ("PATCH", "/api/v1/sources/{name}"): Rule(
        "sources.write",
        lambda d, n: {"path": {"name": d.source}, "json": {"title": f"Nguồn {n}"}},
    ),
    ("GET", "/sources"): Rule("sources.read"),
    ("POST", "/sources"): Rule(
        "sources.write",
        lambda d, n: {"form": {"name": f"page-{n}", "types": "feedback", "units": "82"}},
    ),
    ("GET", "/sources/{name}"): Rule("sources.read", lambda d, n: {"path": {"name": d.source}}),
    ("POST", "/sources/{name}/pull"): Rule(
        "sources.write", lambda d, n: {"path": {"name": d.source}, "form": {}}
    ),
    ("GET", "/ingest/import"): Rule(("admin", "operator")),
    ("POST", "/ingest/import"): Rule(
        ("admin", "operator"),
        lambda d, n: {
            "form": {"source": d.source, "type": "feedback"},
            "files": {"file": (f"feedback-{n}.csv", _feedback_csv(d, n), "text/csv")},
        },
    ),
    # -- indicators: catalogue, values, review, targets, downloads ---------------------------
    ("GET", "/api/v1/indicators"): Rule(PUBLIC),
    ("GET", "/api/v1/indicators/{code}"): Rule(
        PUBLIC, lambda d, n: {"path": {"code": "online_dossier_rate"}}
    ),
    ("GET", "/api/v1/indicators/{code}/series"): Rule(
        PUBLIC, lambda d, n: {"path": {"code": "online_dossier_rate"}, "params": {"unit": "82"}}
    ),
    ("GET", "/api/v1/indicators/{code}/compare"): Rule(
        PUBLIC, lambda d, n: {"path": {"code": "online_dossier_rate"}}
    ),
    ("GET", "/api/v1/scorecard"): Rule(PUBLIC, lambda d, n: {"params": {"unit": "82"}}),
    ("POST", "/api/v1/observations"): Rule(
        "observations.submit", lambda d, n: {"json": [observation(period=str(1990 + n % 30))]}
    ),
    ("GET", "/api/v1/observations"): Rule(PUBLIC),
    ("POST", "/api/v1/observations/{value_id}/approve"): Rule(
        "observations.review", lambda d, n: {"path": {"value_id": d.value_id}, "json": {}}
    ),
    ("POST", "/api/v1/observations/{value_id}/reject"): Rule(
        "observations.review", lambda d, n: {"path": {"value_id": d.value_id}, "json": {}}
    ),
    ("GET", "/api/v1/observations/{value_id}/history"): Rule(
        # an approved value's history is public, as the list of values is; a draft's history
        # only within its unit's scope (tests/web/test_no_leaks.py)
        PUBLIC,
        lambda d, n: {"path": {"value_id": d.approved_id}},
    ),
    ("POST", "/api/v1/targets"): Rule(
        "targets.write",
        lambda d, n: {
            "json": {"indicator": "online_dossier_rate", "unit": "82", "year": 2026, "value": 80}
        },
    ),
    ("GET", "/indicators/entry"): Rule("observations.submit"),
    ("POST", "/indicators/entry"): Rule(
        "observations.submit",
        lambda d, n: {"form": {"unit": "82", "period": "2024"}, "files": "template"},
    ),
    ("GET", "/indicators/template.{kind}"): Rule(
        "observations.submit",
        lambda d, n: {"path": {"kind": "csv"}, "params": {"unit": "82", "period": "2024"}},
    ),
    ("GET", "/indicators/review"): Rule("observations.review"),
    # the file a value was sent with (the seeded one has none: a 404 once the role may look)
    ("GET", "/indicators/review/{value_id}/file"): Rule(
        "observations.review", lambda d, n: {"path": {"value_id": d.value_id}}
    ),
    ("POST", "/indicators/review/{value_id}"): Rule(
        "observations.review",
        lambda d, n: {"path": {"value_id": d.value_id}, "form": {"decision": "reject"}},
    ),
    # -- services: the Decision 766 index, ranking, trend --------------------------------------
    ("GET", "/api/v1/services/index"): Rule(
        "services.read", lambda d, n: {"params": {"unit": "82"}}
    ),
    ("GET", "/api/v1/services/ranking"): Rule(
        # the seeded officer is of province 82: the country's ranking is outside its scope
        "services.read",
        lambda d, n: {"params": {"level": "province"}},
        except_for={"officer": DENIED},
    ),
    ("GET", "/api/v1/services/trend"): Rule(
        "services.read", lambda d, n: {"params": {"unit": "82"}}
    ),
    ("GET", "/services"): Rule("services.read", lambda d, n: {"params": {"unit": "82"}}),
    ("GET", "/services/ranking"): Rule(
        "services.read", lambda d, n: {"params": {"level": "commune", "parent": "82"}}
    ),
    ("GET", "/scorecard"): Rule(PUBLIC),
    ("GET", "/scorecard.{fmt}"): Rule(
        PUBLIC, lambda d, n: {"path": {"fmt": "csv"}, "params": {"unit": "82"}}
    ),
    ("GET", "/indicators"): Rule(PUBLIC),
    ("GET", "/indicators.{fmt}"): Rule(PUBLIC, lambda d, n: {"path": {"fmt": "csv"}}),
    ("GET", "/indicators/{code}"): Rule(
        PUBLIC, lambda d, n: {"path": {"code": "online_dossier_rate"}}
    ),
    ("GET", "/indicators/{code}/series.{fmt}"): Rule(
        PUBLIC,
        lambda d, n: {
            "path": {"code": "online_dossier_rate", "fmt": "csv"},
            "params": {"unit": "82"},
        },
    ),
    ("GET", "/indicators/{code}/compare.{fmt}"): Rule(
        PUBLIC, lambda d, n: {"path": {"code": "online_dossier_rate", "fmt": "csv"}}
    ),
    # -- services: the work list, one dossier, the procedure catalogue -----------------------
    ("GET", "/api/v1/services/dossiers"): Rule(
        "services.read", lambda d, n: {"params": {"unit": "82"}}
    ),
    ("GET", "/api/v1/services/dossiers/{dossier_id}"): Rule(
        "services.read", lambda d, n: {"path": {"dossier_id": d.dossier_id}}
    ),
    ("GET", "/api/v1/services/procedures"): Rule(
        "services.read", lambda d, n: {"params": {"unit": "82"}}
    ),
    ("GET", "/services/dossiers"): Rule("services.read", lambda d, n: {"params": {"unit": "82"}}),
    ("GET", "/services/dossiers/{dossier_id}"): Rule(
        "services.read", lambda d, n: {"path": {"dossier_id": d.dossier_id}}
    ),
    ("GET", "/services/procedures"): Rule("services.read", lambda d, n: {"params": {"unit": "82"}}),
    # -- tasks: programmes and tasks ------------------------------------------------------------
    ("POST", "/api/v1/programmes"): Rule("tasks.plan", lambda d, n: {"json": _programme(n)}),
    ("GET", "/api/v1/programmes"): Rule("tasks.read"),
    ("GET", "/api/v1/programmes/{programme_id}"): Rule(
        "tasks.read", lambda d, n: {"path": {"programme_id": d.programme_id}}
    ),
    ("POST", "/api/v1/tasks"): Rule("tasks.plan", lambda d, n: {"json": _task(d, n)}),
    ("GET", "/api/v1/tasks"): Rule("tasks.read", lambda d, n: {"params": {"unit": "82"}}),
    ("GET", "/api/v1/tasks/{task_id}"): Rule(
        "tasks.read", lambda d, n: {"path": {"task_id": d.task_id}}
    ),
    # -- tasks: the work on a task (reports, evidence, a leader's decisions) -------------------
    # on the seeded task (led by an agency of the officer's province); a report or a file no one
    # sent: 404 to those who may act on it, refused to the others
    ("POST", "/api/v1/tasks/{task_id}/reports"): Rule(
        "tasks.report",
        lambda d, n: {
            "path": {"task_id": d.task_id},
            "json": {"text": f"Báo cáo {n}", "percent": 10},
        },
    ),
    ("GET", "/api/v1/tasks/{task_id}/reports"): Rule(
        "tasks.read", lambda d, n: {"path": {"task_id": d.task_id}}
    ),
    ("POST", "/api/v1/tasks/{task_id}/reports/{report_id}/evidence"): Rule(
        "tasks.report",
        lambda d, n: {
            "path": {"task_id": d.task_id, "report_id": NO_ID},
            "files": {"evidence": ("bao-cao.pdf", b"%PDF-1.4\n", "application/pdf")},
        },
    ),
    ("GET", "/api/v1/tasks/{task_id}/evidence/{evidence_id}"): Rule(
        "tasks.evidence", lambda d, n: {"path": {"task_id": d.task_id, "evidence_id": NO_ID}}
    ),
    ("POST", "/api/v1/tasks/{task_id}/confirm"): Rule(
        "tasks.decide", lambda d, n: {"path": {"task_id": d.task_id}}
    ),
    ("POST", "/api/v1/tasks/{task_id}/refuse"): Rule(
        "tasks.decide", lambda d, n: {"path": {"task_id": d.task_id}, "json": {"reason": "x"}}
    ),
    ("POST", "/api/v1/tasks/{task_id}/extend"): Rule(
        "tasks.decide",
        lambda d, n: {
            "path": {"task_id": d.task_id},
            "json": {"deadline": "2030-01-02", "reason": "x"},
        },
    ),
    ("POST", "/api/v1/tasks/{task_id}/reports/{report_id}/answer"): Rule(
        "tasks.decide",
        lambda d, n: {"path": {"task_id": d.task_id, "report_id": NO_ID}, "json": {"answer": "x"}},
    ),
    # -- tasks: the pages (a task's forms post to the API's own writes) -------------------------
    ("GET", "/tasks"): Rule("tasks.read"),
    ("GET", "/tasks/report.{kind}"): Rule(
        "tasks.read", lambda d, n: {"path": {"kind": "xlsx"}, "params": {"province": "82"}}
    ),
    ("GET", "/tasks/list"): Rule("tasks.read"),
    ("GET", "/tasks/{task_id}"): Rule("tasks.read", lambda d, n: {"path": {"task_id": d.task_id}}),
    ("POST", "/tasks/{task_id}/report"): Rule(
        "tasks.report",
        lambda d, n: {
            "path": {"task_id": d.task_id},
            "form": {"percent": "10", "text": f"Báo cáo {n}"},
            "files": {"evidence": ("bao-cao.pdf", b"%PDF-1.4\n", "application/pdf")},
        },
    ),
    # no completion is claimed: the page again, with the reason (409), to those who may decide
    ("POST", "/tasks/{task_id}/confirm"): Rule(
        "tasks.decide", lambda d, n: {"path": {"task_id": d.task_id}}
    ),
    ("POST", "/tasks/{task_id}/refuse"): Rule(
        "tasks.decide", lambda d, n: {"path": {"task_id": d.task_id}, "form": {"reason": "x"}}
    ),
    ("POST", "/tasks/{task_id}/extend"): Rule(
        "tasks.decide",
        lambda d, n: {
            "path": {"task_id": d.task_id},
            "form": {"deadline": "2030-01-03", "reason": "x"},
        },
    ),
    ("POST", "/tasks/{task_id}/reports/{report_id}/answer"): Rule(
        "tasks.decide",
        lambda d, n: {"path": {"task_id": d.task_id, "report_id": NO_ID}, "form": {"answer": "x"}},
    ),
    ("GET", "/tasks/import"): Rule("tasks.plan"),
    ("GET", "/tasks/template.xlsx"): Rule("tasks.plan"),
    ("POST", "/tasks/import"): Rule(
        "tasks.plan",
        lambda d, n: {"files": {"file": (f"tasks-{n}.csv", _tasks_csv(d, n), "text/csv")}},
    ),
    ("POST", "/tasks/import/programme"): Rule(
        "tasks.plan", lambda d, n: {"form": _programme(f"P{n}")}
    ),
    # -- traceability: EPCIS 2.0 capture (persons through the people-entry source; the seeded
    # source sends no events, so its token is refused a capture but reads its own jobs) ------
    ("POST", "/epcis/capture"): Rule(
        "traceability.write", lambda d, n: {"json": _epcis_document(d, n)}
    ),
    ("POST", "/epcis/events"): Rule(
        "traceability.write", lambda d, n: {"json": _epcis_event(d, n)}
    ),
    ("GET", "/epcis/capture"): Rule(("admin", "leader", "officer", "system")),
    ("GET", "/epcis/capture/{captureID}"): Rule(
        ("admin", "leader", "officer", "system"), lambda d, n: {"path": {"captureID": NO_ID}}
    ),
    # -- traceability: the tamper-evident log (checkpoints, sealing, its page) ------------------
    ("GET", "/api/v1/traceability/checkpoints"): Rule("traceability.read"),
    ("POST", "/api/v1/traceability/checkpoints"): Rule("traceability.seal"),
    ("GET", "/traceability/ledger"): Rule("traceability.read"),
    # -- traceability: the IOC's views (an officer: its unit's) ---------------------------------
    ("GET", "/api/v1/traceability/summary"): Rule(
        "traceability.read", lambda d, n: {"params": {"unit": "82"}}
    ),
    ("GET", "/traceability"): Rule("traceability.read"),
    # -- traceability: the EPCIS query interface and the trace of a lot ------------------------
    ("GET", "/epcis/events"): Rule(
        "traceability.read", lambda d, n: {"params": {"eventType": "ObjectEvent", "perPage": 5}}
    ),
    ("GET", "/epcis/eventTypes"): Rule("traceability.read"),
    ("GET", "/epcis/eventTypes/{event_type}/events"): Rule(
        "traceability.read", lambda d, n: {"path": {"event_type": "AggregationEvent"}}
    ),
    ("GET", "/epcis/epcs/{epc}/events"): Rule(
        "traceability.read", lambda d, n: {"path": {"epc": "urn:epc:id:sscc:8935001.0000000001"}}
    ),
    ("GET", "/api/v1/traceability/trace"): Rule(
        "traceability.read",
        lambda d, n: {"params": {"epc": "urn:epc:class:lgtin:8935001.000001.L1"}},
    ),
    # -- sensors: the live map of stations, a station's chart (none seeded: a 404 page) -------
    ("GET", "/sensors"): Rule("sensors.read"),
    ("GET", "/sensors/{code}"): Rule("sensors.read", lambda d, n: {"path": {"code": "NO-STATION"}}),
    # -- traceability: the public page of a lot (no lot seeded: a 404 page, open to all) --------
    ("GET", "/01/{gtin}/10/{lot}"): Rule(PUBLIC, _lot),
    ("GET", "/01/{gtin}/10/{lot}/qr.svg"): Rule(PUBLIC, _lot),
    ("GET", "/01/{gtin}/10/{lot}/qr.png"): Rule(PUBLIC, _lot),
    # -- alerts: the pages (the bell's count is read by every logged-in page) -----------------
    ("GET", "/api/v1/badges"): Rule(ALL),
    ("GET", "/alerts"): Rule("alerts.read"),
    ("GET", "/alerts/{alert_id}"): Rule("alerts.read", lambda d, n: {"path": {"alert_id": NO_ID}}),
    # (none seeded: the forms answer 404 or 422 to those who may send them)
    ("POST", "/alerts/{alert_id}/ack"): Rule(
        "alerts.respond", lambda d, n: {"path": {"alert_id": NO_ID}, "form": {"note": "x"}}
    ),
    ("GET", "/alerts/rules"): Rule("alerts.read"),
    ("GET", "/alerts/rules/new"): Rule("alerts.configure"),
    ("GET", "/alerts/rules/{name}"): Rule("alerts.read", lambda d, n: {"path": {"name": "none"}}),
    ("POST", "/alerts/rules"): Rule("alerts.configure", lambda d, n: {"form": {"name": "x"}}),
    ("POST", "/alerts/rules/{name}/delete"): Rule(
        "alerts.configure", lambda d, n: {"path": {"name": "none"}}
    ),
    ("POST", "/alerts/rules/import"): Rule(
        "alerts.configure", lambda d, n: {"form": {"yaml": "x"}}
    ),
    ("GET", "/alerts/silences"): Rule("alerts.read"),
    ("POST", "/alerts/silences"): Rule("alerts.respond", lambda d, n: {"form": {"comment": "x"}}),
    ("POST", "/alerts/silences/{silence_id}/expire"): Rule(
        "alerts.respond", lambda d, n: {"path": {"silence_id": NO_ID}}
    ),
    ("GET", "/alerts/channels"): Rule("alerts.configure"),
    ("POST", "/alerts/channels"): Rule("alerts.configure", lambda d, n: {"form": {"name": "x"}}),
    ("POST", "/alerts/channels/{channel_id}/delete"): Rule(
        "alerts.configure", lambda d, n: {"path": {"channel_id": NO_ID}}
    ),
    ("POST", "/alerts/deliveries/{delivery_id}/replay"): Rule(
        "alerts.configure", lambda d, n: {"path": {"delivery_id": NO_ID}}
    ),
    # -- alerts: notification channels and deliveries (no channel seeded: a 404 is allowed) -----
    ("GET", "/api/v1/alert-channels"): Rule("alerts.configure"),
    ("POST", "/api/v1/alert-channels"): Rule(
        "alerts.configure",
        lambda d, n: {"json": {"name": f"M-{n}", "kind": "webhook", "target": "http://h/x"}},
    ),
    ("DELETE", "/api/v1/alert-channels/{channel_id}"): Rule(
        "alerts.configure", lambda d, n: {"path": {"channel_id": NO_ID}}
    ),
    ("GET", "/api/v1/alert-deliveries"): Rule("alerts.configure"),
    ("POST", "/api/v1/alert-deliveries/{delivery_id}/replay"): Rule(
        "alerts.configure", lambda d, n: {"path": {"delivery_id": NO_ID}}
    ),
    # -- sensors: stations, their readings, the crops of a commune (phường Mỹ Tho, in 82) -------
    ("POST", "/api/v1/stations"): Rule(
        "sensors.write",
        lambda d, n: {"json": {"code": f"RR-{n}", "name": f"Trạm {n}", "unit": "28261"}},
    ),
    ("GET", "/api/v1/stations"): Rule("sensors.read"),
    ("GET", "/api/v1/stations/{code}"): Rule(
        "sensors.read", lambda d, n: {"path": {"code": "NO-SUCH"}}
    ),
    ("GET", "/api/v1/stations/{code}/readings"): Rule(
        "sensors.read", lambda d, n: {"path": {"code": "NO-SUCH"}}
    ),
    ("GET", "/api/v1/stations/{code}/forecast"): Rule(
        "sensors.read", lambda d, n: {"path": {"code": "NO-SUCH"}}
    ),
    ("GET", "/api/v1/crops"): Rule("sensors.read"),
    ("GET", "/api/v1/communes/{code}/crops"): Rule(
        "sensors.read", lambda d, n: {"path": {"code": "28261"}}
    ),
    ("PUT", "/api/v1/communes/{code}/crops"): Rule(
        "sensors.write", lambda d, n: {"path": {"code": "28261"}, "json": {"crops": ["rice"]}}
    ),
    # -- feedback: citizen reports (PA-1, answered, in phường Mỹ Tho of 82) ---------------------
    ("GET", "/api/v1/feedback/categories"): Rule(PUBLIC),
    ("GET", "/api/v1/feedback/reports"): Rule("feedback.read"),
    ("GET", "/api/v1/feedback/reports/{report_id}"): Rule(
        "feedback.read", lambda d, n: {"path": {"report_id": "PA-1"}}
    ),
    # a step the report cannot take (409) is still allowed
    ("POST", "/api/v1/feedback/reports/{report_id}/steps"): Rule(
        "feedback.triage",
        lambda d, n: {"path": {"report_id": "PA-1"}, "json": {"step": "refuse", "note": "x"}},
    ),
    ("POST", "/api/v1/feedback/reports"): Rule(
        "feedback.triage",
        lambda d, n: {"json": {"category": "khac", "text": f"Phản ánh {n}", "unit": "28261"}},
    ),
    # -- feedback: the suggested category and agency (no model yet: 404, still allowed) ---------
    ("GET", "/api/v1/feedback/reports/{report_id}/suggestion"): Rule(
        "feedback.read", lambda d, n: {"path": {"report_id": "PA-1"}}
    ),
    # -- feedback: the staff desk (the queue, one report, the routes of categories to agencies) -
    ("GET", "/feedback"): Rule("feedback.read"),
    ("GET", "/feedback/routes"): Rule(
        "feedback.admin", lambda d, n: {"params": {"province": "82"}}
    ),
    ("GET", "/feedback/{report_id}"): Rule(
        "feedback.read", lambda d, n: {"path": {"report_id": "PA-1"}}
    ),
    ("GET", "/api/v1/feedback/routes"): Rule(
        "feedback.read", lambda d, n: {"params": {"province": "82"}}
    ),
    # the province's environment reports lose their route (a whole table, audited)
    ("PUT", "/api/v1/feedback/routes"): Rule(
        "feedback.admin",
        lambda d, n: {"json": {"province": "82", "routes": {"moi-truong": None}}},
    ),
    # -- feedback: the IOC panel (its figures, the map of open reports, the page) --------------
    ("GET", "/api/v1/feedback/stats"): Rule(
        "feedback.read", lambda d, n: {"params": {"unit": "82", "by": ["agency", "unit", "month"]}}
    ),
    ("GET", "/api/v1/feedback/map"): Rule("feedback.read", lambda d, n: {"params": {"unit": "82"}}),
    ("GET", "/feedback/panel"): Rule("feedback.read", lambda d, n: {"params": {"unit": "82"}}),
    # -- feedback, public: the published answers (PA-1 is not published: a 404, still allowed)
    ("GET", "/api/v1/feedback/public"): Rule(PUBLIC),
    ("GET", "/api/v1/feedback/public/{report_id}"): Rule(
        PUBLIC, lambda d, n: {"path": {"report_id": "PA-1"}}
    ),
    ("GET", "/phan-anh/cong-khai"): Rule(PUBLIC),
    ("GET", "/phan-anh/cong-khai/{report_id}"): Rule(
        PUBLIC, lambda d, n: {"path": {"report_id": "PA-1"}}
    ),
    ("GET", "/api/v1/feedback/reports.xlsx"): Rule("feedback.read"),
    # -- feedback: Open311 GeoReport v2 (reading is public; filing needs an app's key) ---------
    **{
        ("GET", f"/open311/v2/{path}.{{response_format}}"): Rule(
            PUBLIC, lambda d, n, found=found: {"path": {"response_format": "xml", **found}}
        )
        for path, found in (
            ("discovery", {}),
            ("services", {}),
            ("services/{service_code}", {"service_code": "giao-thong"}),
            ("requests", {}),
            ("requests/{service_request_id}", {"service_request_id": "PA-1"}),
            ("tokens/{token}", {"token": "NO-TOKEN"}),  # a 404: still allowed
        )
    },
    ("POST", "/open311/v2/requests.{response_format}"): Rule(
        PUBLIC,
        lambda d, n: {
            "path": {"response_format": "json"},
            "form": {
                "api_key": d.open311_key,
                "jurisdiction_id": "82",
                "service_code": "khac",
                "address_id": "28261",
                "description": f"Phản ánh {n}",
            },
        },
    ),
    # -- feedback intake: the public form, the citizen's tracking page and photos (no report has
    # the code NOCODE23: a 404 page, open to all), a report's photo for staff ------------------
    ("GET", "/phan-anh"): Rule(PUBLIC),
    ("POST", "/phan-anh"): Rule(
        PUBLIC,
        lambda d, n: {
            "form": {
                "category": "khac",
                "text": f"Phản ánh thử {n}",
                "lat": "10.36",
                "lon": "106.36",
            }
        },
    ),
    ("GET", "/phan-anh/theo-doi"): Rule(PUBLIC),
    ("GET", "/phan-anh/theo-doi/{code}"): Rule(PUBLIC, lambda d, n: {"path": {"code": "NOCODE23"}}),
    ("POST", "/phan-anh/theo-doi/{code}/danh-gia"): Rule(
        PUBLIC,
        lambda d, n: {"path": {"code": "NOCODE23"}, "form": {"satisfaction": "satisfied"}},
    ),
    ("POST", "/phan-anh/theo-doi/{code}/bo-sung"): Rule(
        PUBLIC, lambda d, n: {"path": {"code": "NOCODE23"}, "form": {"note": "Ở gần chợ."}}
    ),
    ("GET", "/phan-anh/theo-doi/{code}/anh/{photo_id}"): Rule(
        PUBLIC, lambda d, n: {"path": {"code": "NOCODE23", "photo_id": "nope"}}
    ),
    ("GET", "/phan-anh/anh/{photo_id}"): Rule(PUBLIC, lambda d, n: {"path": {"photo_id": "nope"}}),
    ("GET", "/api/v1/feedback/reports/{report_id}/photos/{photo_id}"): Rule(
        "feedback.read", lambda d, n: {"path": {"report_id": "PA-1", "photo_id": "nope"}}
    ),
    # -- alerts: rules, alerts, acknowledgements, silences, inhibitions ------------------------
    ("GET", "/api/v1/alert-rules"): Rule("alerts.read"),
    ("POST", "/api/v1/alert-rules"): Rule(
        "alerts.configure", lambda d, n: {"json": _alert_rule(f"route-rule-{n}")}
    ),
    ("GET", "/api/v1/alert-rules/export"): Rule("alerts.configure"),
    # an empty body: a 422 naming it, past the access check
    ("POST", "/api/v1/alert-rules/import"): Rule("alerts.configure"),
    ("GET", "/api/v1/alert-rules/{name}"): Rule(
        "alerts.read", lambda d, n: {"path": {"name": "none"}}
    ),
    ("PUT", "/api/v1/alert-rules/{name}"): Rule(
        "alerts.configure",
        lambda d, n: {"path": {"name": f"route-put-{n}"}, "json": _alert_rule(f"route-put-{n}")},
    ),
    ("DELETE", "/api/v1/alert-rules/{name}"): Rule(
        "alerts.configure", lambda d, n: {"path": {"name": "none"}}
    ),
    ("GET", "/api/v1/alerts"): Rule("alerts.read", lambda d, n: {"params": {"state": "firing"}}),
    ("GET", "/api/v1/alerts/{alert_id}"): Rule(
        "alerts.read", lambda d, n: {"path": {"alert_id": NO_ID}}
    ),
    ("GET", "/api/v1/alerts/{alert_id}/transitions"): Rule(
        "alerts.read", lambda d, n: {"path": {"alert_id": NO_ID}}
    ),
    ("POST", "/api/v1/alerts/{alert_id}/ack"): Rule(
        "alerts.respond", lambda d, n: {"path": {"alert_id": NO_ID}, "json": {"note": "x"}}
    ),
    ("GET", "/api/v1/silences"): Rule("alerts.read"),
    ("POST", "/api/v1/silences"): Rule("alerts.respond", lambda d, n: {"json": _silence(n)}),
    ("DELETE", "/api/v1/silences/{silence_id}"): Rule(
        "alerts.respond", lambda d, n: {"path": {"silence_id": NO_ID}}
    ),
    ("GET", "/api/v1/alert-inhibitions"): Rule("alerts.read"),
    ("POST", "/api/v1/alert-inhibitions"): Rule(
        "alerts.configure",
        lambda d, n: {
            "json": {
                "name": f"route-inh-{n}",
                "source_matchers": [{"name": "alertname", "value": "a"}],
                "target_matchers": [{"name": "alertname", "value": "b"}],
            }
        },
    ),
    ("DELETE", "/api/v1/alert-inhibitions/{name}"): Rule(
        "alerts.configure", lambda d, n: {"path": {"name": "none"}}
    ),
    # -- h-report (issue 15): the officer's page for reporting figures -------------------------
    ("GET", "/indicators/report"): Rule(
        "observations.submit", lambda d, n: {"params": {"unit": "82"}}
    ),
    ("POST", "/indicators/report"): Rule(
        "observations.submit",
        lambda d, n: {
            "form": {"unit": "82", "source": "Báo cáo 1/BC", "value.patent_applications.2024": "3"},
            "files": {"evidence": ("bien-ban.pdf", b"%PDF-1.4 route", "application/pdf")},
        },
    ),
    # -- h-ingest (issue 15): a record read back, the import page's example files ---------------
    # (no source "none": a 404 naming the source, once the role may read records)
    ("GET", "/api/v1/records/{record_type}/{source}/{record_id}"): Rule(
        "records.read",
        lambda d, n: {"path": {"record_type": "dossier", "source": "none", "record_id": "x"}},
    ),
    ("GET", "/ingest/import/{type_name}/example.{fmt}"): Rule(
        "ingest.import", lambda d, n: {"path": {"type_name": "dossier", "fmt": "csv"}}
    ),
    # -- h-cli: the app's icon, where a browser asks for it ----------------------------------
    ("GET", "/favicon.ico"): Rule(PUBLIC),
}

# -- h-contract: the API docs, and a push path per record type -----------------------------------
# the seeded source sends these types; for the others the gate refuses it (and an admin pushing
# for it) with 403, before the body is read
SOURCE_TYPES = ("feedback", "dossier", "procedure")
RECORD_TYPE_NAMES = (
    "observation",
    "procedure",
    "dossier",
    "feedback",
    "station",
    "reading",
    "programme",
    "task",
    "trace_product",
    "trace_location",
    "trace_lot",
    "epcis_event",
)


def _push_rule(name: str) -> Rule:
    refused = {} if name in SOURCE_TYPES else {"admin": DENIED, "system": DENIED}
    return Rule("ingest.push", lambda d, n: {"params": {"source": d.source}, "json": []}, refused)


RULES[("GET", "/api/v1/docs")] = Rule(PUBLIC)
RULES.update({("POST", f"/api/v1/ingest/{name}"): _push_rule(name) for name in RECORD_TYPE_NAMES})
