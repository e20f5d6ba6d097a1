"""``ioc57 source create | list``: run as a person runs them, on a real database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def ioc57(db_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = os.environ | {"IOC57_DATABASE_URL": db_url}
    r = subprocess.run(
        [sys.executable, "-m", "ioc57", *args], env=env, capture_output=True, text=True, timeout=180
    )
    if check:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


def test_a_source_is_created_with_its_token_last_and_listed(db_url):
    r = ioc57(
        db_url, "source", "create", "dvc-82", "--types", "dossier,procedure", "--units", "82",
        "--title", "Hệ thống DVC", "--trusted", "--pull-url", "https://dvc.example.vn/hs.json",
        "--pull-type", "dossier", "--pull-format", "json", "--pull-interval", "600",
    )  # fmt: skip
    token = r.stdout.strip().splitlines()[-1]
    assert token.startswith("ioc57_") and "every 600 s" in r.stdout
    listing = ioc57(db_url, "source", "list").stdout
    assert listing.splitlines()[0].split() == ["dvc-82", "dossier,procedure", "82", "trusted"]
    assert "last pulled never" in listing

    ioc57(db_url, "source", "create", "mo-phong", "--types", "feedback", "--units", "82,28261",
          "--simulated")  # fmt: skip
    listing = ioc57(db_url, "source", "list").stdout
    assert any(line.split() == ["mo-phong", "feedback", "82,28261", "simulated"]
               for line in listing.splitlines())  # fmt: skip


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("x1", "--types", "dossier", "--units", "99999"), "units"),
        (("x1", "--types", "dossier,gossip", "--units", "82"), "types"),
        (("X 1", "--types", "dossier", "--units", "82"), "name"),
        (
            (
                "x1",
                "--types",
                "dossier",
                "--units",
                "82",
                "--pull-url",
                "ftp://a/b",
                "--pull-type",
                "dossier",
                "--pull-format",
                "json",
            ),
            "pull_url",
        ),  # fmt: skip
        (
            (
                "x1",
                "--types",
                "dossier",
                "--units",
                "82",
                "--pull-url",
                "https://a/b",
                "--pull-type",
                "dossier",
                "--pull-format",
                "xml",
            ),
            "pull_format",
        ),  # fmt: skip
        (
            (
                "x1",
                "--types",
                "dossier",
                "--units",
                "82",
                "--pull-url",
                "https://a/b",
                "--pull-type",
                "dossier",
                "--pull-format",
                "csv",
                "--pull-interval",
                "1",
            ),
            "pull_interval_s",
        ),  # fmt: skip
    ],
)
def test_bad_input_exits_2_and_names_the_field(db_url, args, field):
    r = ioc57(db_url, "source", "create", *args, check=False)
    assert r.returncode == 2, r.stdout + r.stderr
    assert field in r.stderr and "Traceback" not in r.stderr


def test_a_taken_name_and_an_unknown_source_are_refused(db_url):
    ioc57(db_url, "source", "create", "dvc-82", "--types", "dossier", "--units", "82")
    r = ioc57(db_url, "source", "create", "dvc-82", "--types", "dossier", "--units", "82",
              check=False)  # fmt: skip
    assert r.returncode == 2 and "name: taken" in r.stderr
    r = ioc57(db_url, "source", "pull", "nothing", check=False)
    assert r.returncode == 2 and "name" in r.stderr
    r = ioc57(db_url, "source", "pull", "dvc-82", check=False)
    assert r.returncode == 2 and "pull_url" in r.stderr


def test_a_source_cannot_pull_a_type_it_may_not_send(client, api):
    from ..support.http import auth

    body = {
        "name": "pull-82",
        "types": ["dossier"],
        "units": ["82"],
        "pull_url": "http://127.0.0.1:1/x.json",
        "pull_type": "feedback",
        "pull_format": "json",
        "pull_interval_s": 60,
    }
    r = client.post("/api/v1/sources", json=body, headers=auth(api.token("admin")))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["pull_type"]
