"""One app per test module (on each backend) for the tasks tests: a province with two agencies, a
leader and an officer of the first agency (``tests/support/tasks.py``). Tests that share it plan
programmes of their own codes, so that they do not interfere."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from ..support.backends import app_on
from ..support.http import Api
from ..support.tasks import Planner, set_today


@pytest.fixture(scope="module")
def tasks_app(module_db_url):
    """The app on the test module's database."""
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def tasks_client(tasks_app) -> Iterator[TestClient]:
    with TestClient(tasks_app, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def planner(tasks_app, tasks_client) -> Planner:
    """The province, its agencies and people, and the calls that plan and read (``Planner``)."""
    return Planner(tasks_client, Api(tasks_app))


@pytest.fixture
def today_is(monkeypatch) -> Callable[[date], None]:
    """Sets the day the tasks API takes for today: reports are dated by it, the status of a task
    is computed on it."""

    def set_day(day: date) -> None:
        set_today(monkeypatch, day)

    return set_day
