"""Several ``ioc57 serve`` processes on one PostgreSQL database share their events."""

import pytest

from ..support.backends import BACKENDS
from ..support.stream import DVC_01, DVC_82, Actors, dossier


@pytest.fixture(params=[b for b in BACKENDS if b == "postgresql"])
def backend(request) -> str:
    return request.param


def test_a_batch_pushed_to_one_process_reaches_the_streams_of_another(serve, db_url, engine):
    a, b = serve(db_url), serve(db_url)
    actors = Actors(engine, a.base)
    dvc = actors.source(DVC_82)
    on_b = actors.listen(actors.admin, base=b.base)
    officer_on_b = actors.listen(actors.user("canbo.mytho", "officer", "28261"), base=b.base)

    answer = actors.push(dvc, [dossier(1)], base=a.base)

    for stream in (on_b, officer_on_b):
        event = stream.next(timeout=10)
        assert event.event == "ingest.batch"
        assert event.json()["batch"] == answer["batch"]
        assert event.json()["ids"] == ["HS-1"]


def test_each_event_arrives_once_on_every_process_and_scope_holds_across_them(
    serve, db_url, engine
):
    a, b = serve(db_url), serve(db_url)
    actors = Actors(engine, a.base)
    dvc_82, dvc_01 = actors.source(DVC_82), actors.source(DVC_01)
    hanoi_token = actors.user("canbo.hanoi", "officer", "01")
    streams = {
        "a": actors.listen(actors.admin, base=a.base),
        "b": actors.listen(actors.admin, base=b.base),
    }
    hanoi_on_b = actors.listen(hanoi_token, base=b.base)

    pushed = [
        actors.push(dvc_82, [dossier(1)], base=a.base)["batch"],
        actors.push(dvc_82, [dossier(2)], base=b.base)["batch"],
        actors.push(dvc_01, [dossier(3, unit="00070")], base=a.base)["batch"],
    ]

    ids = {}
    for name, stream in streams.items():
        events = {e.json()["batch"]: e.id for e in (stream.next() for _ in pushed)}
        assert sorted(events) == sorted(pushed)
        assert stream.quiet(0.5) == []  # none came back a second time
        ids[name] = events
    assert ids["a"] == ids["b"]  # an event keeps its id on every process
    assert hanoi_on_b.next().json()["batch"] == pushed[2]
    assert hanoi_on_b.quiet(0.3) == []
