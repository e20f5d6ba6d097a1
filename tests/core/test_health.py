"""/healthz, /readyz and /metrics."""

from sqlalchemy import text


def test_healthz_and_readyz_answer_ok_on_a_current_database(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["migrations"] == "current"


def test_readyz_is_503_when_migrations_are_not_current(client, engine):
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["migrations"] == "not current"


def test_metrics_count_requests_per_route(client):
    client.get("/api/v1/units/82")
    client.get("/api/v1/units/99999")
    body = client.get("/metrics").text
    assert (
        'ioc57_http_requests_total{method="GET",route="/api/v1/units/{code}",status="200"} 1.0'
        in body
    )
    assert 'route="/api/v1/units/{code}",status="404"' in body
    assert "ioc57_http_request_seconds_bucket" in body
