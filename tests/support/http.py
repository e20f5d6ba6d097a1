"""Acting on the app over HTTP: bearer headers, the login form, users made through the admin API."""

from __future__ import annotations

from fastapi.testclient import TestClient

ADMIN_PASSWORD = "admin-password-57"  # the password of ``admin`` on every test database


class Api:
    """Acts as users of the app through its ASGI client."""

    def __init__(self, app) -> None:
        self.app = app
        self.tokens: dict[str, str] = {}

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="http://testserver")

    def user(
        self, username: str, role: str, unit: str | None = None, password: str = "password-57"
    ) -> str:
        """Create a user through the admin API and return a bearer token for them."""
        admin = self.token("admin")
        body = {"username": username, "role": role, "password": password}
        if unit:
            body["unit"] = unit
        r = self.client().post("/api/v1/users", json=body, headers=auth(admin))
        assert r.status_code == 201, r.text
        r = self.client().post("/api/v1/tokens", json={"username": username}, headers=auth(admin))
        assert r.status_code == 201, r.text
        self.tokens[username] = r.json()["token"]
        return self.tokens[username]

    def token(self, username: str) -> str:
        if username not in self.tokens:
            assert username == "admin"
            from ioc57.accounts.service import create_token

            with self.app.state.engine.begin() as conn:
                self.tokens["admin"] = create_token(conn, actor="test", username="admin")
        return self.tokens[username]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(client: TestClient, username: str, password: str) -> str:
    """Log in through the form; return the session's CSRF token."""
    page = client.get("/login")
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    # the session is renewed at login, and with it the CSRF token
    after = client.get("/")
    return after.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
