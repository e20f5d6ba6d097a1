"""The ioc57 command, run as a person runs it: a real process on a real database."""

import os
import subprocess
import sys

import pytest


def ioc57(db_url, *args, env=None, check=True):
    full_env = os.environ | {"IOC57_DATABASE_URL": db_url} | (env or {})
    r = subprocess.run(
        [sys.executable, "-m", "ioc57", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if check:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


def test_version():
    r = subprocess.run([sys.executable, "-m", "ioc57", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "0.1.0" in r.stdout


def test_init_prints_a_generated_admin_password_and_check_passes(empty_db_url):
    env = {"IOC57_ADMIN_PASSWORD": ""}
    r = ioc57(empty_db_url, "init", env=env)
    assert "units loaded: 14149" in r.stdout
    line = next(x for x in r.stdout.splitlines() if x.startswith("admin user created: admin / "))
    assert len(line.split(" / ")[1]) >= 12
    again = ioc57(empty_db_url, "init")
    assert "units loaded: 0" in again.stdout and "admin user created" not in again.stdout
    assert "ok" in ioc57(empty_db_url, "check").stdout


def test_check_fails_when_the_schema_is_missing_or_the_database_unreachable(empty_db_url, tmp_path):
    r = ioc57(empty_db_url, "check", check=False)
    assert r.returncode != 0 and "not current" in r.stderr
    r = ioc57("postgresql+psycopg://nobody@127.0.0.1:1/none", "check", check=False)
    assert r.returncode != 0 and "unreachable" in r.stderr


def test_users_tokens_and_agencies_from_the_command_line(db_url):
    r = ioc57(db_url, "user", "create", "canbo.mytho", "--role", "officer", "--unit", "28261")
    assert "password:" in r.stdout
    token = (
        ioc57(db_url, "token", "create", "--user", "canbo.mytho").stdout.strip().splitlines()[-1]
    )
    assert token.startswith("ioc57_")
    ioc57(db_url, "user", "set-role", "canbo.mytho", "viewer")
    listing = ioc57(db_url, "user", "list").stdout
    assert any(line.split()[:2] == ["canbo.mytho", "viewer"] for line in listing.splitlines())
    ioc57(db_url, "user", "disable", "canbo.mytho")
    assert "disabled" in ioc57(db_url, "user", "list").stdout
    r = ioc57(
        db_url,
        "agency",
        "create",
        "--parent",
        "82",
        "--code",
        "SKHCN-82",
        "--name",
        "Sở Khoa học và Công nghệ",
        "--type",
        "sở",
    )
    assert "SKHCN-82" in r.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("user", "create", "x.y", "--role", "officer"), "unit"),
        (("user", "create", "x.y", "--role", "officer", "--unit", "99999"), "unit"),
        (("token", "create", "--user", "nobody"), "nobody"),
        (("agency", "create", "--parent", "815", "--code", "A-1", "--name", "A"), "parent"),
        (("user", "set-role", "admin", "emperor"), "role"),
    ],
)
def test_bad_cli_input_says_what_is_wrong(db_url, args, message):
    r = ioc57(db_url, *args, check=False)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_init_with_a_too_short_admin_password_says_so(empty_db_url):
    r = ioc57(empty_db_url, "init", env={"IOC57_ADMIN_PASSWORD": "short"}, check=False)
    assert r.returncode == 2 and "password" in r.stderr and "Traceback" not in r.stderr
