"""``verify`` recomputes each source's chain and checks the stored events against it: a clean log
verifies; an event whose stored JSON was edited, an event deleted, a chain row changed are each
named; ``ioc57 trace verify`` says so in one line each and exits 1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, insert, select, update

from ioc57.cli import main
from ioc57.traceability import chain as chained
from ioc57.traceability.tables import chain, event_epcs, events
from ioc57.traceability.verify import verify

from ..support.trace import harvest


@pytest.fixture(scope="module")
def sent(trace_app, tracer) -> list[str]:
    """Three events of lots of this module's own, their ids."""
    result = tracer.events(harvest(lot="V1"), harvest(lot="V2"), harvest(lot="V3"))
    assert result["accepted"] == 3, result
    with trace_app.state.engine.connect() as conn:
        found = conn.execute(select(events.c.event_id).order_by(events.c.id)).scalars().all()
    return list(found)


def stored(app, event_id: str):
    with app.state.engine.connect() as conn:
        return conn.execute(select(events).where(events.c.event_id == event_id)).one()


@contextmanager
def edited(app, table, where, **values) -> Iterator[None]:
    """``table``'s rows ``where`` changed to ``values`` for the block, then put back."""
    with app.state.engine.begin() as conn:
        before = conn.execute(select(table).where(where)).all()
        conn.execute(update(table).where(where).values(**values))
    try:
        yield
    finally:
        with app.state.engine.begin() as conn:
            for row in before:
                conn.execute(update(table).where(table.c.id == row.id).values(**row._mapping))


def test_a_clean_log_verifies(trace_app, sent):
    report = verify(trace_app.state.engine, deep=True)
    assert report.ok, [f.line() for f in report.findings]
    assert report.rows >= 3 and report.events >= 3 and report.sources == 1
    assert "no problem found" in report.summary()


def test_an_edited_event_is_named(trace_app, sent):
    target = sent[1]
    row = stored(trace_app, target)
    changed = row.document.replace('"active"', '"destroyed"')
    assert changed != row.document
    with edited(trace_app, events, events.c.event_id == target, document=changed):
        report = verify(trace_app.state.engine)
    assert [(f.kind, f.event_id) for f in report.findings] == [("changed", target)]
    assert report.findings[0].seq == 2 and report.findings[0].source == "truy-xuat"
    assert verify(trace_app.state.engine).ok  # put back: clean again


def test_a_deleted_event_is_named(trace_app, sent):
    target = sent[0]
    row = stored(trace_app, target)
    with trace_app.state.engine.begin() as conn:
        epcs = conn.execute(select(event_epcs).where(event_epcs.c.event_pk == row.id)).all()
        conn.execute(delete(event_epcs).where(event_epcs.c.event_pk == row.id))
        conn.execute(delete(events).where(events.c.id == row.id))
    try:
        report = verify(trace_app.state.engine)
        assert [(f.kind, f.event_id, f.seq) for f in report.findings] == [("removed", target, 1)]
        assert "is no longer stored" in report.findings[0].line()
    finally:
        with trace_app.state.engine.begin() as conn:
            conn.execute(insert(events).values(**row._mapping))
            conn.execute(insert(event_epcs), [dict(e._mapping) for e in epcs])
    assert verify(trace_app.state.engine).ok


def test_a_changed_chain_row_breaks_its_link(trace_app, sent):
    second = chain.c.event_id == sent[1]
    with edited(trace_app, chain, second, digest="f" * 64):
        report = verify(trace_app.state.engine)
    # the row's link no longer follows, and the event no longer matches the digest chained
    assert sorted((f.kind, f.seq) for f in report.findings) == [("changed", 2), ("link", 2)]
    with trace_app.state.engine.begin() as conn:
        row = conn.execute(select(chain).where(second)).one()
        conn.execute(delete(chain).where(second))
    try:
        report = verify(trace_app.state.engine)
    finally:
        with trace_app.state.engine.begin() as conn:
            conn.execute(insert(chain).values(**row._mapping))
    # the row is missing, and the event it chained is in no chain any more
    assert sorted(f.line() for f in report.findings) == [
        "gap: truy-xuat row 2 is missing from the chain",
        f"unchained: event {sent[1]} is stored but no chain names it: it was added outside"
        " capture, or its chain row was removed",
    ]


def test_a_rewritten_unsealed_chain_passes_but_deep_finds_the_content_changed(trace_app, sent):
    """What the log cannot see alone: rows rewritten whole before a checkpoint seals them. The
    event's hash id still gives the change away (``--deep``)."""
    engine = trace_app.state.engine
    target = sent[2]
    row = stored(trace_app, target)
    changed = row.document.replace('"quantity":1200', '"quantity":9000')
    assert changed != row.document
    with engine.connect() as conn:
        rows = conn.execute(select(chain).order_by(chain.c.seq)).all()
    previous, rewritten = chained.GENESIS, {}
    for r in rows:
        digest = chained.digest(changed) if r.event_id == target else r.digest
        previous = chained.link(previous, r.seq, r.event_id, digest)
        rewritten[r.id] = {"digest": digest, "link": previous}
    with edited(trace_app, events, events.c.event_id == target, document=changed):
        with engine.begin() as conn:
            for pk, values in rewritten.items():
                conn.execute(update(chain).where(chain.c.id == pk).values(**values))
        try:
            assert verify(engine).ok
            deep = verify(engine, deep=True)
            assert [(f.kind, f.event_id) for f in deep.findings] == [("hash", target)]
        finally:
            with engine.begin() as conn:
                for r in rows:
                    conn.execute(update(chain).where(chain.c.id == r.id).values(**r._mapping))


def test_the_command_exits_1_on_a_problem_and_names_it(trace_app, sent, module_db_url):
    ok = CliRunner().invoke(main, ["--database-url", module_db_url, "trace", "verify"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.strip().splitlines()[-1].startswith("verified 1 source(s)")
    target = sent[0]
    with edited(trace_app, events, events.c.event_id == target, document="{}"):
        bad = CliRunner().invoke(
            main, ["--database-url", module_db_url, "trace", "verify", "--source", "truy-xuat"]
        )
    assert bad.exit_code == 1, bad.output
    lines = bad.output.strip().splitlines()
    assert lines[0].startswith(f"changed: event {target} (truy-xuat row 1)")
    assert lines[-1].endswith("1 problem(s)")
    unknown = CliRunner().invoke(
        main, ["--database-url", module_db_url, "trace", "verify", "--source", "nobody"]
    )
    assert unknown.exit_code == 2
    assert "no source named 'nobody'" in unknown.output


def test_a_declared_correction_is_no_tampering(trace_app, tracer):
    """An error declaration changes the stored event through the gate: the chain holds both
    versions, and the stored one is checked against the latest."""
    declared = {"declarationTime": "2025-07-16T08:00:00+07:00", "reason": "incorrect_data"}
    assert tracer.events(harvest(lot="V4"))["accepted"] == 1
    corrected = tracer.events(harvest(lot="V4", errorDeclaration=declared))
    assert corrected["updated"] == 1, corrected
    with trace_app.state.engine.connect() as conn:
        (event_id,) = conn.execute(
            select(events.c.event_id).where(events.c.error_declared.is_(True))
        ).one()
        digests = conn.execute(select(chain.c.digest).where(chain.c.event_id == event_id)).all()
    assert len(set(digests)) == 2
    report = verify(trace_app.state.engine, deep=True)
    assert report.ok, [f.line() for f in report.findings]
