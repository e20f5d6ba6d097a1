"""The PostgreSQL listener survives a dropped connection and keeps feeding the hub."""

import asyncio
import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from ioc57.core.events import Event
from ioc57.web.app import create_app

from ..support.backends import BACKENDS

LISTENERS = (
    "SELECT pid FROM pg_stat_activity"
    " WHERE application_name = 'ioc57-relay' AND datname = current_database()"
)


@pytest.fixture(params=[b for b in BACKENDS if b == "postgresql"])
def backend(request) -> str:
    return request.param


def receive_from_other_process(listening_app, other_app, n: int) -> dict:
    """Publish on ``other_app``'s bus (as another process would); return what reaches the hub."""

    async def main():
        sub = listening_app.state.hub.subscribe()
        try:
            event = Event("ingest.batch", {"batch": n}, (30, 2861))
            publisher = threading.Thread(target=other_app.state.bus.publish, args=(event,))
            publisher.start()
            message = await asyncio.wait_for(sub.get(), 10)
            publisher.join()
            return message.data
        finally:
            listening_app.state.hub.unsubscribe(sub)

    return asyncio.run(main())


def test_the_listener_reconnects_after_its_connection_is_killed(settings, engine):
    listening, other = create_app(settings, engine), create_app(settings, engine)
    with TestClient(listening):
        relay = listening.state.relay
        assert relay.connected
        assert receive_from_other_process(listening, other, 1) == {"batch": 1}

        with engine.begin() as conn:
            (before,) = conn.execute(text(LISTENERS)).scalars().all()
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": before})
        deadline = time.monotonic() + 15
        while True:
            with engine.connect() as conn:
                now = conn.execute(text(LISTENERS)).scalars().all()
            if relay.connected and now and now != [before]:
                break
            assert time.monotonic() < deadline, "the listener did not reconnect"
            time.sleep(0.1)

        assert receive_from_other_process(listening, other, 2) == {"batch": 2}
    deadline = time.monotonic() + 5  # the lifespan's end closes the listener's connection
    while True:
        with engine.connect() as conn:
            if conn.execute(text(LISTENERS)).scalars().all() == []:
                break
        assert time.monotonic() < deadline, "the listener's connection stayed open"
        time.sleep(0.05)
