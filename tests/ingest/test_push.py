"""Pushing records: the five counts add up, a record sent twice is unchanged, newer wins, older is stale."""

from sqlalchemy import func, select

from ioc57.ingest.gate import CHUNK
from ioc57.ingest.tables import raw_payloads, records

from ..support.http import auth
from .records import dossier, feedback, finished, observation, procedure, reading

COUNTS = ("accepted", "updated", "unchanged", "stale")


def total(answer) -> int:
    return sum(answer[k] for k in COUNTS) + len(answer["rejected"])


def test_new_records_are_accepted_and_counted(dvc):
    answer = dvc.push("dossier", [dossier(i) for i in range(5)])
    assert answer["submitted"] == 5 and answer["accepted"] == 5 and answer["rejected"] == []
    assert isinstance(answer["batch"], int)


def test_a_record_sent_twice_is_unchanged(dvc):
    dvc.push("dossier", [dossier(1)])
    answer = dvc.push("dossier", [dossier(1)])
    assert (answer["accepted"], answer["unchanged"]) == (0, 1)


def test_a_newer_version_replaces_the_old_and_an_older_one_is_stale(dvc, engine):
    dvc.push("dossier", [dossier(1)])
    answer = dvc.push("dossier", [finished(1)])
    assert answer["updated"] == 1
    older = dossier(1, status="processing", updated_at="2025-09-05T08:00:00+07:00")
    answer = dvc.push("dossier", [older])
    assert answer["stale"] == 1 and answer["updated"] == 0
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(records)).scalar_one() == 1
        data = conn.execute(select(records.c.data)).scalar_one()
    assert '"status":"finished"' in data


def test_the_same_record_twice_in_one_batch_keeps_the_newest(dvc):
    answer = dvc.push("dossier", [dossier(1), finished(1), dossier(1)])
    assert (answer["accepted"], answer["updated"], answer["stale"]) == (1, 1, 1)


def test_the_five_counts_always_add_up_to_submitted(dvc):
    batch = [
        dossier(1),
        dossier(2, unit="99999"),
        dossier(1),
        finished(1),
        dossier(3),
        dossier(1, updated_at="2025-01-01T00:00:00+07:00"),
        "not an object",
    ]
    answer = dvc.push("dossier", batch)
    assert answer["submitted"] == 7 == total(answer)


def test_ndjson_is_read_line_by_line_and_a_bad_line_loses_nothing_else(dvc):
    import orjson

    body = b"\n".join([orjson.dumps(dossier(1)), b"{broken", orjson.dumps(dossier(2)), b""])
    answer = dvc.push("dossier", None, content=body, content_type="application/x-ndjson")
    assert answer["accepted"] == 2 and [r["index"] for r in answer["rejected"]] == [1]


def test_every_record_type_of_the_contract_is_accepted(everything):
    assert everything.push("procedure", [procedure(1), procedure(2)])["accepted"] == 2
    assert everything.push("dossier", [finished(1)])["accepted"] == 1
    assert (
        everything.push(
            "feedback",
            [
                feedback(1),
                feedback(
                    2, lat=None, lon=None, address="Phường 1, Thành phố Mỹ Tho, Tỉnh Tiền Giang"
                ),
            ],
        )["accepted"]
        == 2
    )
    answer = everything.push("reading", [reading(i) for i in range(3)])
    assert answer["accepted"] == 3
    assert (
        everything.push("reading", [reading(1)])["unchanged"] == 1
    )  # default id station:metric:time
    assert everything.push("observation", [observation()])["accepted"] == 1


def test_a_report_with_no_place_counts_at_the_sources_unit(everything, engine):
    from ioc57.units.tables import units

    everything.push("feedback", [feedback(1, lat=None, lon=None)])
    everything.push("feedback", [feedback(2)])  # lat/lon of phường Mỹ Tho's centre
    with engine.connect() as conn:
        placed = dict(
            conn.execute(
                select(records.c.record_id, units.c.code)
                .join(units, units.c.id == records.c.unit_id)
                .where(records.c.type == "feedback")
            ).all()
        )
    assert placed == {"PA-1": "82", "PA-2": "28261"}


def test_unknown_fields_are_kept_in_the_raw_log_ignored_and_reported(dvc, engine):
    answer = dvc.push("dossier", [dossier(1, colour="blue")])
    assert answer["accepted"] == 1
    assert answer["warnings"] == [
        {
            "index": 0,
            "id": "HS-1",
            "msg": "unknown fields ignored",
            "code": "ingest.unknown_fields",
            "fields": ["colour"],
        }
    ]
    with engine.connect() as conn:
        assert "colour" not in conn.execute(select(records.c.data)).scalar_one()
        raw = conn.execute(select(raw_payloads.c.body)).scalar_one()
    import zlib

    assert b"colour" in zlib.decompress(raw)


def test_every_payload_is_kept_even_a_malformed_one(dvc, engine, client):
    client.post(
        "/api/v1/ingest/dossier",
        content=b"[{oops",
        headers={"Authorization": f"Bearer {dvc.token}", "Content-Type": "application/json"},
    )
    dvc.push("dossier", [dossier(1)])
    with engine.connect() as conn:
        rows = conn.execute(
            select(raw_payloads.c.sha256, raw_payloads.c.size, raw_payloads.c.batch_id)
        ).all()
    assert len(rows) == 2 and all(len(r.sha256) == 64 for r in rows)
    assert sorted(r.batch_id is None for r in rows) == [False, True]


def test_batches_are_listed_with_counts_and_errors(dvc, client, api):
    dvc.push("dossier", [dossier(1), dossier(2, channel="pigeon")])
    items = client.get("/api/v1/ingest/batches", headers=auth(api.token("admin"))).json()["items"]
    assert items[0]["submitted"] == 2 and items[0]["accepted"] == 1 and items[0]["rejected"] == 1
    assert items[0]["errors"][0]["errors"][0]["loc"] == ["channel"]
    report = client.get(
        f"/api/v1/ingest/batches/{items[0]['id']}/errors.csv", headers=auth(api.token("admin"))
    )
    assert report.status_code == 200 and "channel" in report.text and "HS-2" in report.text


def test_a_push_larger_than_a_file_s_chunk_is_written_in_one_transaction(dvc, client):
    """A file is written ``CHUNK`` rows a transaction; a push request is written whole or not at
    all, whatever its size: one chunk, so one ``ingest.batch`` event for all its records."""
    heard = []
    client.app.state.bus.subscribe("ingest.batch", heard.append)
    answer = dvc.push("dossier", [dossier(i) for i in range(CHUNK + 1)])
    assert answer["accepted"] == CHUNK + 1
    assert [e.data["changed"] for e in heard] == [CHUNK + 1]
