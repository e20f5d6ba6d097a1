"""Signed checkpoints: ``seal`` signs what each chain captured since its last checkpoint, and
``verify`` checks each one (root, head, signature), so that a chain rewritten whole, a checkpoint
changed and rows removed after sealing are found; the export, the API, the commands and the page."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, func, insert, select, update

from ioc57.cli import main
from ioc57.core.db import make_engine
from ioc57.core.settings import load_settings
from ioc57.traceability import chain as chained
from ioc57.traceability import keys as signing
from ioc57.traceability.checkpoints import Sealer, Tree, seal
from ioc57.traceability.tables import chain, checkpoints, events
from ioc57.traceability.verify import verify
from ioc57.web.app import create_app

from ..support.http import auth
from ..support.trace import harvest


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    return tmp_path_factory.mktemp("key") / "province.trace-key"


@pytest.fixture(scope="module")
def trace_app(module_db_url, key_file):
    """The module's app, with a signing key file of its own (PostgreSQL has no default)."""
    engine = make_engine(module_db_url)
    settings = load_settings(
        database_url=module_db_url, secret_key="test-secret-key", trace_key_file=key_file
    )
    yield create_app(settings, engine)
    engine.dispose()


def test_the_tree_grown_row_by_row_has_the_root_of_the_whole():
    digests = [chained.digest(str(n)) for n in range(40)]
    for n in range(len(digests) + 1):
        tree = Tree()
        for d in digests[:n]:
            tree.add(d)
        assert tree.root() == chained.merkle_root(digests[:n]), n


def test_the_key_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "k.pem"
    key = signing.load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = signing.load_or_create(path)
    assert signing.key_id(again.public_key()) == signing.key_id(key.public_key())
    with pytest.raises(signing.KeyUnavailable, match="IOC57_TRACE_KEY_FILE"):
        signing.load_or_create(None)


def test_seal_signs_what_is_new_and_verify_checks_it(trace_app, tracer, key_file):
    engine = trace_app.state.engine
    key = signing.load_or_create(key_file)
    assert tracer.events(harvest(lot="C1"), harvest(lot="C2"))["accepted"] == 2
    first = seal(engine, key)
    assert [(m["source"], m["first_seq"], m["last_seq"]) for m in first.made] == [
        ("truy-xuat", 1, 2)
    ]
    assert seal(engine, key).made == []  # nothing new
    assert tracer.events(harvest(lot="C3"))["accepted"] == 1
    (second,) = seal(engine, key).made
    assert (second["first_seq"], second["last_seq"]) == (3, 3)
    with engine.connect() as conn:
        digests = conn.execute(select(chain.c.digest).order_by(chain.c.seq)).scalars().all()
        head = conn.execute(select(chain.c.link).where(chain.c.seq == 2)).scalar_one()
    assert first.made[0]["merkle_root"] == chained.merkle_root(digests[:2])
    assert first.made[0]["head"] == head
    report = verify(engine)
    assert report.ok and report.checkpoints == 2, [f.line() for f in report.findings]


def test_a_changed_checkpoint_is_found(trace_app, tracer):
    engine = trace_app.state.engine
    first = checkpoints.c.first_seq == 1
    with engine.connect() as conn:
        row = conn.execute(select(checkpoints).where(first)).one()
    try:
        with engine.begin() as conn:
            conn.execute(update(checkpoints).where(first).values(last_seq=1))
        lines = [f.line() for f in verify(engine).findings]
        assert lines == [
            "checkpoint: truy-xuat row 2 is sealed by no checkpoint, though later rows are",
            "checkpoint: truy-xuat checkpoint 1..1: its signature does not verify: the"
            " checkpoint was changed",
            "checkpoint: truy-xuat checkpoint 1..1: the digests of these rows are not the ones"
            " it sealed",
            "checkpoint: truy-xuat checkpoint 1..1: the chain's link at row 1 is not the head"
            " it sealed",
        ]
    finally:
        with engine.begin() as conn:
            conn.execute(update(checkpoints).where(first).values(**row._mapping))
    assert verify(engine).ok


def test_a_sealed_chain_rewritten_whole_is_found(trace_app, tracer):
    """Edit an event and rewrite every digest and link after it: the links all follow, but the
    checkpoint sealed the old root and head."""
    engine = trace_app.state.engine
    with engine.connect() as conn:
        rows = conn.execute(select(chain).order_by(chain.c.seq)).all()
        target = conn.execute(select(events).where(events.c.event_id == rows[0].event_id)).one()
    changed = target.document.replace('"quantity":1200', '"quantity":1')
    previous = chained.GENESIS
    try:
        with engine.begin() as conn:
            conn.execute(update(events).where(events.c.id == target.id).values(document=changed))
            for r in rows:
                digest = chained.digest(changed) if r.id == rows[0].id else r.digest
                previous = chained.link(previous, r.seq, r.event_id, digest)
                conn.execute(
                    update(chain).where(chain.c.id == r.id).values(digest=digest, link=previous)
                )
        lines = [f.line() for f in verify(engine).findings]
        assert lines == [
            "checkpoint: truy-xuat checkpoint 1..2: the digests of these rows are not the ones"
            " it sealed",
            "checkpoint: truy-xuat checkpoint 1..2: the chain's link at row 2 is not the head"
            " it sealed",
            "checkpoint: truy-xuat checkpoint 3..3: the chain's link at row 3 is not the head"
            " it sealed",
        ]
    finally:
        with engine.begin() as conn:
            conn.execute(update(events).where(events.c.id == target.id).values(**target._mapping))
            for r in rows:
                conn.execute(update(chain).where(chain.c.id == r.id).values(**r._mapping))
    assert verify(engine).ok


def test_rows_removed_after_sealing_and_a_broken_chain_not_sealed(trace_app, tracer, key_file):
    engine = trace_app.state.engine
    key = signing.load_or_create(key_file)
    with engine.connect() as conn:
        last = conn.execute(select(chain).where(chain.c.seq == 3)).one()
    with engine.begin() as conn:
        conn.execute(delete(chain).where(chain.c.id == last.id))
    try:
        lines = [f.line() for f in verify(engine).findings]
        assert (
            "checkpoint: truy-xuat checkpoint 3..3: the chain ends at row 2: the rows it"
            in (lines[0])
        )
    finally:
        with engine.begin() as conn:
            conn.execute(insert(chain).values(**last._mapping))
    assert tracer.events(harvest(lot="C4"))["accepted"] == 1
    four = chain.c.seq == 4
    with engine.begin() as conn:
        conn.execute(update(chain).where(four).values(digest="0" * 64))
    try:
        result = seal(engine, key)
        assert result.made == []
        assert result.refused == [
            "truy-xuat: not sealed, the link of row 4 does not follow from the rows before it"
            " (run 'ioc57 trace verify')"
        ]
    finally:
        with engine.begin() as conn:
            conn.execute(update(chain).where(four).values(digest=chained.digest(_doc(engine, 4))))
    assert verify(engine).ok


def _doc(engine, seq: int) -> str:
    with engine.connect() as conn:
        return conn.execute(
            select(events.c.document)
            .join(chain, chain.c.event_pk == events.c.id)
            .where(chain.c.seq == seq)
        ).scalar_one()


def test_seal_and_export_through_the_api_and_the_commands(
    trace_app, trace_client, tracer, module_db_url, key_file
):
    api = tracer.api
    viewer = api.user("ledger-viewer", "viewer")
    r = trace_client.post("/api/v1/traceability/checkpoints", headers=auth(viewer))
    assert r.status_code == 403
    r = trace_client.post("/api/v1/traceability/checkpoints", headers=auth(api.token("admin")))
    assert r.status_code == 200, r.text
    assert [(m["first_seq"], m["last_seq"]) for m in r.json()["made"]] == [(4, 4)]
    r = trace_client.get("/api/v1/traceability/checkpoints", headers=auth(viewer))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 3 and body["checkpoints"][0]["last_seq"] == 4
    (key,) = body["keys"]
    assert key["public_key"].startswith("-----BEGIN PUBLIC KEY-----")
    assert key["key_id"] == signing.key_id(signing.load_or_create(key_file).public_key())
    # the export alone checks a signature: the statement, the public key
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    public = load_pem_public_key(key["public_key"].encode())
    cp = body["checkpoints"][0]
    message = chained.statement(
        cp["source"], cp["first_seq"], cp["last_seq"], cp["head"], cp["merkle_root"],
        cp["signed_at"],
    )  # fmt: skip
    assert isinstance(public, type(Ed25519PrivateKey.generate().public_key()))
    assert signing.signed(public, cp["signature"], message)

    env = {"IOC57_TRACE_KEY_FILE": str(key_file)}
    args = ["--database-url", module_db_url, "trace"]
    assert tracer.events(harvest(lot="C5"))["accepted"] == 1
    sealed = CliRunner().invoke(main, [*args, "seal"], env=env)
    assert sealed.exit_code == 0, sealed.output
    assert "sealed truy-xuat rows 5..5" in sealed.output
    exported = CliRunner().invoke(main, [*args, "export-checkpoints", "--source", "truy-xuat"])
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.output)["total"] == 4
    with trace_app.state.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(checkpoints)).scalar_one() == 4


def test_the_ledger_page_lists_checkpoints_and_says_what_they_guarantee(trace_client, tracer):
    page = trace_client.get("/traceability/ledger", headers=auth(tracer.api.token("admin")))
    assert page.status_code == 200, page.text
    assert 'id="checkpoints"' in page.text and "truy-xuat" in page.text
    assert "Điều này bảo đảm" in page.text and "không phải là một chuỗi khối phân tán" in page.text
    assert page.text.count("<tr>") >= 5


def test_the_app_seals_on_its_own_and_an_officer_reads_its_province(
    trace_app, trace_client, tracer, key_file
):
    engine = trace_app.state.engine
    assert tracer.events(harvest(lot="C6"))["accepted"] == 1
    Sealer(engine, key_file, every=3600).run_once()  # a round of what ``ioc57 serve`` runs
    with engine.connect() as conn:
        last = conn.execute(select(func.max(checkpoints.c.last_seq))).scalar_one()
    assert last == 6
    api = tracer.api
    here = api.user("ledger-officer-82", "officer", unit=tracer.communes[0])
    elsewhere = api.user("ledger-officer-01", "officer", unit="01")
    path = "/api/v1/traceability/checkpoints"
    assert trace_client.get(path, headers=auth(here)).json()["total"] == 5
    assert trace_client.get(path, headers=auth(elsewhere)).json()["checkpoints"] == []
    page = trace_client.get("/traceability/ledger", headers=auth(elsewhere))
    assert page.status_code == 200 and "Chưa có điểm niêm phong nào." in page.text
