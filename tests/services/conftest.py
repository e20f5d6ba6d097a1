"""Dossiers and procedures of province 82 (Đồng Tháp) sent through the gate, seen at a fixed time."""

import pytest

from ..ingest.records import DVC
from ..support import index766
from ..support.http import auth
from ..support.ingest import Pusher
from ..support.services import AGENCY, NOW


@pytest.fixture
def at_now(monkeypatch):
    """The work list's clock stopped at ``NOW``."""
    monkeypatch.setattr("ioc57.services.worklist.now", lambda: NOW)
    return NOW


@pytest.fixture
def agency(client, api):
    body = {"code": AGENCY, "name": "Sở Tư pháp", "parent": "82", "type": "sở"}
    r = client.post("/api/v1/units", json=body, headers=auth(api.token("admin")))
    assert r.status_code == 201, r.text
    return AGENCY


@pytest.fixture
def dvc(client, api, agency):
    return Pusher(client, api, DVC)


@pytest.fixture
def lgsp(client, api):
    """The hand-computed 766 fixture (``tests/support/index766.py``) sent through the gate."""
    source = Pusher(client, api, index766.SPEC)
    source.push("procedure", index766.PROCEDURES)
    source.push("dossier", index766.DOSSIERS)
    source.push("feedback", index766.REPORTS)
    return source
