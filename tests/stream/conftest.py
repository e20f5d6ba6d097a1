"""Fixtures for the live stream: real ``ioc57 serve`` processes, all stopped after the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ..support.stream import Server


@pytest.fixture
def serve(tmp_path) -> Iterator[Callable[..., Server]]:
    """Start ``ioc57 serve`` processes on a database; all are terminated after the test."""
    servers: list[Server] = []

    def start(db_url: str, **settings: str) -> Server:
        server = Server(db_url, tmp_path / f"serve-{len(servers)}.log", settings)
        servers.append(server)
        server.wait_ready()
        return server

    yield start
    for server in servers:
        server.stop()
