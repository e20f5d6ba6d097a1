"""A disabled source's token is refused everywhere; enabling the source again gives it back
unless the token was revoked meanwhile."""

from ..support.http import auth

DVC = {"name": "dvc-82", "types": ["dossier"], "units": ["82"]}


def test_a_disabled_sources_token_is_refused_everywhere_until_it_is_enabled(client, api):
    admin = auth(api.token("admin"))
    token = client.post("/api/v1/sources", json=DVC, headers=admin).json()["token"]
    assert client.get("/api/v1/ingest/batches", headers=auth(token)).status_code == 200

    client.patch("/api/v1/sources/dvc-82", json={"disabled": True}, headers=admin)
    for path in ("/api/v1/ingest/batches", "/api/v1/tokens"):
        r = client.get(path, headers=auth(token))
        assert r.status_code == 403 and "disabled" in r.json()["detail"], path
    r = client.post("/api/v1/ingest/dossier", json=[], headers=auth(token))
    assert r.status_code == 403

    client.patch("/api/v1/sources/dvc-82", json={"disabled": False}, headers=admin)
    assert client.get("/api/v1/ingest/batches", headers=auth(token)).status_code == 200


def test_a_token_revoked_while_its_source_was_disabled_stays_revoked(client, api):
    admin = auth(api.token("admin"))
    token = client.post("/api/v1/sources", json=DVC, headers=admin).json()["token"]
    client.patch("/api/v1/sources/dvc-82", json={"disabled": True}, headers=admin)
    items = client.get("/api/v1/tokens?username=src.dvc-82", headers=admin).json()["items"]
    assert client.delete(f"/api/v1/tokens/{items[0]['id']}", headers=admin).status_code == 200
    client.patch("/api/v1/sources/dvc-82", json={"disabled": False}, headers=admin)
    assert client.get("/api/v1/ingest/batches", headers=auth(token)).status_code == 401


def test_a_sources_token_is_scoped_to_its_current_units_not_those_it_was_created_with(client, api):
    admin = auth(api.token("admin"))
    client.post("/api/v1/sources", json=DVC, headers=admin)
    r = client.patch("/api/v1/sources/dvc-82", json={"units": ["01"]}, headers=admin)
    assert r.status_code == 200, r.text
    users = client.get("/api/v1/users", headers=admin).json()["items"]
    assert next(u["unit"] for u in users if u["username"] == "src.dvc-82") == "01"
