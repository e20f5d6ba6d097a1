"""One password rule wherever a password is set: long enough, not the user name, not common."""

import os
import subprocess
import sys

import pytest

from ioc57.core.problems import Problem

from ..support.http import auth

WEAK = ["12345678", "password", "qwerty123", "iloveyou1", "P@ssw0rd", "lanhdao123", "lanhdao"]


def ioc57(db_url, *args, env=None):
    env = os.environ | {"IOC57_DATABASE_URL": db_url} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "ioc57", *args], env=env, capture_output=True, text=True, timeout=180
    )


@pytest.mark.parametrize("password", WEAK)
def test_a_common_password_or_the_user_name_is_refused_naming_the_field(client, api, password):
    admin = auth(api.token("admin"))
    body = {"username": "lanhdao", "role": "leader", "password": password}
    r = client.post("/api/v1/users", json=body, headers=admin)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["loc"][-1] for e in r.json()["errors"]] == ["password"]


def test_a_new_password_is_held_to_the_same_rule(client, api):
    api.user("lanhdao", "leader")
    admin = auth(api.token("admin"))
    r = client.patch("/api/v1/users/lanhdao", json={"password": "12345678"}, headers=admin)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["password"]
    r = client.patch("/api/v1/users/admin", json={"password": "password"}, headers=admin)
    assert r.status_code == 422


def test_the_command_line_and_init_refuse_a_common_password(db_url, empty_db_url):
    r = ioc57(db_url, "user", "create", "xem", "--role", "viewer", "--password", "password1")
    assert r.returncode == 2 and "password" in r.stderr and "Traceback" not in r.stderr
    r = ioc57(empty_db_url, "init", env={"IOC57_ADMIN_PASSWORD": "12345678"})
    assert r.returncode == 2 and "password" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "password",
    ["admin-password-57", "password-57", "secret-pw-57", "demo-ioc57", "bench-password-57"],
)
def test_the_passwords_of_the_tests_demo_and_benchmarks_pass(password):
    from ioc57.accounts.passwords import check_password_rule

    check_password_rule(password, "lanhdao")
    check_password_rule(password, "admin")


def test_a_part_of_the_user_name_is_refused():
    from ioc57.accounts.passwords import check_password_rule

    with pytest.raises(Problem) as caught:
        check_password_rule("nguyen.van", "nguyen.van.an")
    assert caught.value.errors[0]["loc"] == ["password"]
