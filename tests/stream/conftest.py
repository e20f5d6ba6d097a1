"""Fixtures for the live stream: real ``ioc57 serve`` processes, all stopped after the test."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from ..support.servers import running_server
from ..support.stream import Server

SECRET = "stream-test-secret"


@pytest.fixture
def serve(tmp_path) -> Iterator[Callable[..., Server]]:
    """Start ``ioc57 serve`` processes on a database; all are terminated after the test."""
    numbers = itertools.count()
    with ExitStack() as servers:

        def start(db_url: str, **settings: str) -> Server:
            env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
            env |= {"IOC57_DATABASE_URL": db_url, "IOC57_SECRET_KEY": SECRET} | settings
            log = tmp_path / f"serve-{next(numbers)}.log"
            return Server(servers.enter_context(running_server(env, log)))

        yield start
