"""Planning programmes and tasks over the public API, in a province with two agencies, a leader
and an officer of the first agency (``tests/tasks/conftest.py`` makes one per test module)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ioc57.core.clock import today

from .http import Api, auth

PROVINCE = "82"  # Đồng Tháp
AGENCY_A = "T82-KHCN"  # Sở Khoa học và Công nghệ: the officer's
AGENCY_B = "T82-NV"  # Sở Nội vụ
AGENCIES = {AGENCY_A: "Sở Khoa học và Công nghệ", AGENCY_B: "Sở Nội vụ"}


# the modules of the tasks API that read the day: reports are dated by it, status computed on it
TODAY_READERS = ("ioc57.tasks.api", "ioc57.tasks.work_api")


def set_today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Make the tasks API take ``day`` for today."""
    for module in TODAY_READERS:
        monkeypatch.setattr(f"{module}.today", lambda: day)


def days_from_today(n: int) -> str:
    return (today() + timedelta(days=n)).isoformat()


def programme(code: str, **fields: Any) -> dict[str, Any]:
    """A programme of ``PROVINCE``: the fields the issue names, and its province."""
    return {
        "code": code,
        "title": f"Chương trình hành động {code} thực hiện Nghị quyết 57-NQ/TW",
        "issued_by": "Tỉnh ủy Đồng Tháp",
        "issued_date": "2025-05-06",
        "unit": PROVINCE,
        **fields,
    }


def task(programme_code: str, code: str, agency: str = AGENCY_A, **fields: Any) -> dict[str, Any]:
    """A task of a programme led by ``agency``, due in 60 days unless ``fields`` say otherwise
    (a field given None is left out: ``recurrence="monthly", deadline=None``)."""
    body: dict[str, Any] = {
        "programme": programme_code,
        "code": code,
        "content": f"Nhiệm vụ {code}: số hóa hồ sơ, dữ liệu của ngành",
        "lead_agency": agency,
        "deadline": days_from_today(60),
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not None}


class Planner:
    """The app of a province with two agencies: ``leader`` (national, plans), ``officer`` (of
    ``AGENCY_A``), ``admin``; posts and reads programmes and tasks as one of them."""

    def __init__(self, client: TestClient, api: Api) -> None:
        self.client, self.api = client, api
        admin = auth(api.token("admin"))
        for code, name in AGENCIES.items():
            body = {"code": code, "name": name, "parent": PROVINCE, "type": "sở"}
            r = client.post("/api/v1/units", json=body, headers=admin)
            assert r.status_code == 201, r.text
        self.tokens = {
            "admin": api.token("admin"),
            "leader": api.user("t.lanhdao", "leader"),
            "officer": api.user("t.canbo.khcn", "officer", unit=AGENCY_A),
        }

    def headers(self, who: str) -> dict[str, str]:
        return auth(self.tokens[who])

    def person(self, who: str, role: str, unit: str | None = None) -> str:
        """``who``, a person of ``role`` (and ``unit``) made on first use; their name here."""
        if who not in self.tokens:
            self.tokens[who] = self.api.user(f"t.{who}", role, unit=unit)
        return who

    def report(
        self,
        task_id: int,
        who: str = "officer",
        files: Sequence[tuple[str, bytes]] = (),
        expect: int | None = None,
        **fields: Any,
    ):
        """A progress report on a task as ``who``: JSON, or a form whose ``files`` ((name,
        content) each) are its evidence; the response (its status checked when ``expect`` is
        given)."""
        url = f"/api/v1/tasks/{task_id}/reports"
        if files:
            form = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in fields.items()}
            sent = [
                ("evidence", (name, content, "application/octet-stream")) for name, content in files
            ]
            r = self.client.post(url, data=form, files=sent, headers=self.headers(who))
        else:
            r = self.client.post(url, json=fields, headers=self.headers(who))
        if expect is not None:
            assert r.status_code == expect, r.text
        return r

    def post(self, path: str, body: Any, who: str = "leader", expect: int | None = None):
        """POST ``body`` to ``/api/v1/<path>`` as ``who``; the response (its status checked
        when ``expect`` is given)."""
        r = self.client.post(f"/api/v1/{path}", json=body, headers=self.headers(who))
        if expect is not None:
            assert r.status_code == expect, r.text
        return r

    def get(self, path: str, who: str = "leader", expect: int | None = 200, **params: Any):
        r = self.client.get(f"/api/v1/{path}", params=params, headers=self.headers(who))
        if expect is not None:
            assert r.status_code == expect, r.text
        return r

    def plan(
        self, code: str, *tasks: dict[str, Any], who: str = "leader"
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """A new programme ``code`` and its ``tasks`` (each posted alone): as stored."""
        made = self.post("programmes", programme(code), who, 201).json()
        return made, [self.post("tasks", t, who, 201).json() for t in tasks]


def past(n: int = 30) -> str:
    """A day ``n`` days ago (a deadline past)."""
    return days_from_today(-n)
