"""Who may write what: every path that writes records — the push API, the observations API, the
import and entry pages, ``ioc57 import`` — asks the one access policy (``core.access``): once per
record type (may this person write it at all, and are its values approved on arrival) and once per
row (is its unit within the person's scope)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner
from markupsafe import escape
from sqlalchemy import func, select

from ioc57.cli import main
from ioc57.core import access
from ioc57.core.messages import translate
from ioc57.indicators.demo import load_article_figures
from ioc57.indicators.tables import indicator_values
from ioc57.ingest.tables import batches, records
from ioc57.ingest.types import RECORD_TYPES

from ..support.http import auth, login

OBSERVATIONS = "indicator,unit,period,value,source\n"
DOSSIERS = "id,procedure,unit,channel,received_at,due_at,status,updated_at\n"
DOSSIER = "HS-{n},1.001234,{unit},online,2025-09-01T08:00:00+07:00,2025-09-10T17:00:00+07:00,received,2025-09-01T08:00:00+07:00\n"
CITED = "Báo cáo số 12/BC-UBND ngày 05/10/2025"


def import_page(client, csrf, source: str, type_name: str, body: str):
    return client.post(
        "/ingest/import",
        data={"csrf_token": csrf, "source": source, "type": type_name},
        files={"file": ("tep.csv", body.encode(), "text/csv")},
        headers={"Accept": "text/html"},
    )


def figure(page: str, name: str) -> int:
    return int(page.split(f'id="count-{name}">', 1)[1].split("<", 1)[0])


def add_source(client, api, name: str, types: list[str], units: list[str], **extra) -> str:
    body = {"name": name, "types": types, "units": units} | extra
    r = client.post("/api/v1/sources", json=body, headers=auth(api.token("admin")))
    assert r.status_code == 201, r.text
    return r.json()["token"]


def count(engine, table, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_an_operator_cannot_overwrite_approved_figures_or_any_provinces_values(
    client, api, app, engine
):
    load_article_figures(app.state.gate)  # 53.85 % online dossiers, Tiền Giang 2024, approved
    admin = auth(api.token("admin"))
    add_source(client, api, "thong-ke", ["observation"], ["01", "82"])
    api.user("vanhanh", "operator")
    csrf = login(client, "vanhanh", "password-57")
    for source, unit in (("bai-bao", "82"), ("thong-ke", "01")):  # trusted; another province
        body = OBSERVATIONS + f"online_dossier_rate,{unit},2024,99.9,sửa số liệu\n"
        r = import_page(client, csrf, source, "observation", body)
        assert r.status_code == 403, r.text
        assert 'id="import-refused"' in r.text and 'id="result"' not in r.text
        assert "Bạn không có quyền nhập các bản ghi này" in r.text
    values = client.get(
        "/api/v1/observations", params={"indicator": "online_dossier_rate"}, headers=admin
    ).json()["items"]
    (figure_2024,) = [v for v in values if v["period"] == "2024"]
    assert (figure_2024["value"], figure_2024["status"]) == (53.85, "approved")
    assert figure_2024["entered_by"] == "ioc57-demo"
    history = client.get(f"/api/v1/observations/{figure_2024['id']}/history", headers=admin).json()[
        "items"
    ]
    assert [(h["actor"], h["action"]) for h in history] == [("ioc57-demo", "approve")]
    scorecard = client.get("/api/v1/scorecard", params={"unit": "82", "year": 2024}).json()
    (item,) = [i for i in scorecard["items"] if i["indicator"] == "online_dossier_rate"]
    assert item["value"] == 53.85
    # nothing was written for the operator: no batch, no value, no audit entry but the login
    assert count(engine, batches, batches.c.actor == "vanhanh") == 0
    assert count(engine, indicator_values, indicator_values.c.entered_by == "vanhanh") == 0
    audit = client.get("/api/v1/audit", params={"actor": "vanhanh"}, headers=admin).json()
    assert {e["action"] for e in audit["items"]} == {"user.login"}


def test_a_scoped_operator_keeps_only_the_rows_of_their_province(client, api, engine):
    add_source(client, api, "lgsp", ["dossier"], ["01", "82"])
    api.user("vanhanh.82", "operator", unit="82")
    csrf = login(client, "vanhanh.82", "password-57")
    body = DOSSIERS + DOSSIER.format(n=1, unit="28261") + DOSSIER.format(n=2, unit="01")
    r = import_page(client, csrf, "lgsp", "dossier", body)
    assert r.status_code == 200, r.text
    assert (figure(r.text, "accepted"), figure(r.text, "rejected")) == (1, 1)
    outside = escape(translate("vi", {"code": "ingest.outside_scope", "params": {"code": "01"}}))
    assert f"<td>unit</td><td>{outside}</td>" in r.text  # the reason in the page's language
    with engine.connect() as conn:
        kept = conn.execute(select(records.c.record_id)).scalars().all()
    assert kept == ["HS-1"]


def test_a_source_token_writes_as_its_own_source_only(client, api, engine):
    token = add_source(client, api, "dvc-82", ["dossier"], ["82"])
    add_source(client, api, "dvc-01", ["dossier"], ["01"])
    r = client.post(
        "/api/v1/ingest/dossier?source=dvc-01",
        json=[{"id": "HS-1"}],
        headers=auth(token),
    )
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    assert count(engine, batches) == 0


# -- every path asks the policy ----------------------------------------------------------------


@pytest.fixture
def restricted(monkeypatch):
    """Make the record type need an action of its own; ``grant(role)`` gives it to a role."""

    def restrict(type_name: str):
        rtype = RECORD_TYPES[type_name]
        monkeypatch.setitem(RECORD_TYPES, type_name, replace(rtype, write_action="test.restricted"))
        monkeypatch.setitem(access.POLICY, "test.restricted", ())

        def grant(role: str) -> None:
            monkeypatch.setitem(access.POLICY, "test.restricted", (role,))

        return grant

    return restrict


def _push_api(client, api, engine):
    add_source(client, api, "dvc-82", ["dossier"], ["82"])
    return "admin", lambda: client.post(
        "/api/v1/ingest/dossier?source=dvc-82",
        json=[{**_dossier(1)}],
        headers=auth(api.token("admin")),
    )


def _dossier(n: int) -> dict:
    from .records import dossier

    return dossier(n)


def _import_page(client, api, engine):
    add_source(client, api, "dvc-82", ["dossier"], ["82"])
    api.user("vanhanh", "operator")
    browser = api.client()
    csrf = login(browser, "vanhanh", "password-57")
    body = DOSSIERS + DOSSIER.format(n=1, unit="28261")
    return "operator", lambda: import_page(browser, csrf, "dvc-82", "dossier", body)


def _cli_import(client, api, engine, tmp_path, db_url):
    add_source(client, api, "dvc-82", ["dossier"], ["82"])
    path = tmp_path / "hoso.csv"
    path.write_text(DOSSIERS + DOSSIER.format(n=1, unit="28261"), encoding="utf-8")
    args = ["--database-url", db_url, "import", str(path), "--type", "dossier"]
    return "admin", lambda: CliRunner().invoke(main, [*args, "--source", "dvc-82", "--quiet"])


def _observations_api(client, api, engine):
    token = api.user("canbo.tinh", "officer", unit="82")

    def write(period: str = "202509"):
        row = {"indicator": "hotline_1022_reports", "unit": "82", "period": period, "value": 5}
        return client.post(
            "/api/v1/observations", json=[row | {"source": CITED}], headers=auth(token)
        )

    return "officer", write


def _entry_page(client, api, engine):
    api.user("canbo.tinh", "officer", unit="82")
    browser = api.client()
    csrf = login(browser, "canbo.tinh", "password-57")

    def write(period: str = "202509"):
        body = (
            "indicator,value,source,unit,period\n" + f"hotline_1022_reports,5,{CITED},82,{period}\n"
        )
        return browser.post(
            "/indicators/entry",
            data={"csrf_token": csrf},
            files={"file": ("mau.csv", body.encode(), "text/csv")},
            headers={"Accept": "text/html"},
        )

    return "officer", write


PATHS = {
    "push API": ("dossier", _push_api),
    "import page": ("dossier", _import_page),
    "ioc57 import": ("dossier", _cli_import),
    "observations API": ("observation", _observations_api),
    "entry page": ("observation", _entry_page),
}


def _refused(name: str, answer) -> bool:
    if name == "ioc57 import":
        return answer.exit_code == 2 and "may not do 'test.restricted'" in answer.output
    if name == "push API" or name == "observations API":
        body = answer.json()
        return (
            answer.status_code == 403
            and answer.headers["content-type"] == "application/problem+json"
            and body["errors"][0]["loc"] == ["record_type"]
        )
    return answer.status_code == 403 and 'id="result"' not in answer.text


def _stored(name: str, answer) -> bool:
    if name == "ioc57 import":
        return answer.exit_code == 0 and "accepted: 1" in answer.output
    if name.endswith("page"):
        return answer.status_code == 200 and figure(answer.text, "accepted") == 1
    return answer.status_code == 200 and answer.json()["accepted"] == 1


@pytest.mark.parametrize("name", list(PATHS))
def test_every_write_path_asks_the_policy_whether_the_type_may_be_written(
    name, client, api, engine, restricted, tmp_path, db_url
):
    type_name, setup = PATHS[name]
    extra = {"tmp_path": tmp_path, "db_url": db_url} if name == "ioc57 import" else {}
    role, write = setup(client, api, engine, **extra)
    grant = restricted(type_name)
    answer = write()
    assert _refused(name, answer), getattr(answer, "text", None) or answer.output
    assert count(engine, records) == 0 and count(engine, batches) == 0
    grant(role)  # the same write, once the policy gives the role the type's action
    answer = write()
    assert _stored(name, answer), getattr(answer, "text", None) or answer.output
    assert count(engine, records) == 1


@pytest.mark.parametrize("name", ["observations API", "entry page"])
def test_the_policy_decides_whose_values_are_approved_on_arrival(
    name, client, api, engine, monkeypatch
):
    _, write = PATHS[name][1](client, api, engine)
    assert write("202508").status_code == 200  # an officer's value waits for a review ...
    monkeypatch.setitem(access.POLICY, "observations.review", ("admin", "leader", "officer"))
    assert write("202507").status_code == 200  # ... unless the policy lets officers review
    with engine.connect() as conn:
        query = select(indicator_values.c.period, indicator_values.c.status)
        statuses = dict(conn.execute(query).all())
    assert statuses == {"202508": "submitted", "202507": "approved"}
