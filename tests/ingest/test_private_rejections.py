"""A citizen's contact details never travel with a rejected row: the gate does not keep a record
type's private fields (feedback: ``contact``) with the row, every reader of rejected rows leaves
them out (rows kept before the fix too), and ``ioc57 raw purge`` deletes old rejected rows."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from sqlalchemy import func, insert, select, update

from ioc57.core.access import LOCAL_ADMIN
from ioc57.core.clock import now
from ioc57.ingest.fileimport import import_file
from ioc57.ingest.tables import batches, rejections

from ..support.http import ADMIN_PASSWORD, auth, login
from .records import feedback
from .test_maintenance import ioc57

CONTACT = {"name": "Trần Thị Bích", "phone": "0912345678", "email": "bich.tran@example.vn"}
DETAILS = ("Trần Thị Bích", "0912345678", "bich.tran@example.vn", "contact")


def leaks(text: str) -> list[str]:
    return [d for d in DETAILS if d in text]


def bad_feedback(pusher) -> int:
    """A feedback batch with a good row and a rejected one, both with contact details."""
    answer = pusher.push(
        "feedback",
        [feedback(1, contact=CONTACT), feedback(2, channel="fax", contact=CONTACT)],
    )
    assert answer["submitted"] == 2 and [r["id"] for r in answer["rejected"]] == ["PA-2"]
    assert not leaks(json.dumps(answer, ensure_ascii=False))
    return answer["batch"]


def test_a_rejected_feedback_row_is_kept_and_shown_without_its_contact(
    everything, client, api, engine
):
    batch = bad_feedback(everything)
    with engine.connect() as conn:
        (row,) = conn.execute(select(rejections.c.row).where(rejections.c.batch_id == batch))
    assert row.row and "PA-2" in row.row and not leaks(row.row)
    for role in ("leader", "operator"):
        token = api.user(f"nguoi.{role}", role)
        r = client.get(f"/api/v1/ingest/batches/{batch}/errors.csv", headers=auth(token))
        assert r.status_code == 200 and "PA-2" in r.text and "channel" in r.text
        assert not leaks(r.text)
        listed = client.get("/api/v1/ingest/batches", headers=auth(token))
        assert listed.status_code == 200 and not leaks(listed.text)


def test_rows_kept_before_the_fix_are_read_without_their_contact(everything, client, api, engine):
    batch = bad_feedback(everything)
    kept = json.dumps(feedback(3, channel="fax", contact=CONTACT), ensure_ascii=False)
    long = feedback(4, channel="fax", text="x" * 12_000)
    long = {"contact": CONTACT} | {k: v for k, v in long.items() if k != "contact"}
    cut = json.dumps(long)[:10_000]  # as the gate kept a long row: cut short, no longer JSON
    with engine.begin() as conn:
        for index, row in ((5, kept), (6, cut)):
            conn.execute(
                insert(rejections).values(
                    batch_id=batch,
                    row_index=index,
                    record_id=f"PA-{index}",
                    errors=[{"loc": ["channel"], "msg": "bad"}],
                    row=row,
                )
            )
    r = client.get(f"/api/v1/ingest/batches/{batch}/errors.csv", headers=auth(api.token("admin")))
    assert r.status_code == 200 and "PA-5" in r.text and "Rác thải" in r.text
    assert "withheld" in r.text  # the row cut short cannot be cleaned: it is left out whole
    assert not leaks(r.text)


def test_a_feedback_file_with_contacts_leaves_them_out_of_the_page_and_the_error_file(
    everything, client, engine, tmp_path
):
    header = "id,channel,received_at,category,text,status,contact"
    contact = json.dumps(CONTACT, ensure_ascii=False).replace('"', '""')
    lines = [
        header,
        f'PA-7,phone,2025-09-02T09:30:00+07:00,moi-truong,Rác,received,"{contact}"',
        f'PA-8,fax,2025-09-02T09:30:00+07:00,moi-truong,Rác,received,"{contact}"',
    ]
    path = tmp_path / "phan-anh.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = tmp_path / "phan-anh.csv.errors.csv"
    report = import_file(
        engine,
        path,
        source=everything.name,
        type_name="feedback",
        principal=LOCAL_ADMIN,
        errors_path=errors,
    )
    assert report.counts["accepted"] == 1 and report.counts["rejected"] == 1
    text = errors.read_text(encoding="utf-8")
    assert "PA-8" in text and not leaks(text)
    csrf = login(client, "admin", ADMIN_PASSWORD)
    r = client.post(
        "/ingest/import",
        data={"csrf_token": csrf, "source": everything.name, "type": "feedback"},
        files={"file": ("phan-anh.csv", path.read_bytes(), "text/csv")},
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 200 and "PA-8" in r.text and not leaks(r.text)


def test_raw_purge_deletes_old_rejected_rows_and_says_how_many(everything, engine, db_url):
    old, recent = bad_feedback(everything), bad_feedback(everything)
    with engine.begin() as conn:
        conn.execute(
            update(batches)
            .where(batches.c.id == old)
            .values(started_at=now() - timedelta(days=100))
        )
    out = ioc57(db_url, "raw", "purge")
    assert "rejected rows purged: 1" in out
    with engine.connect() as conn:
        left = conn.execute(select(rejections.c.batch_id)).scalars().all()
        feedback = select(func.count()).select_from(batches).where(batches.c.type == "feedback")
        assert conn.execute(feedback).scalar_one() == 2
    assert left == [recent]


# -- the error files are safe to open in a spreadsheet --------------------------------------------

HOSTILE_ID = '=HYPERLINK("http://phishing.example","Mở")'


def test_error_files_write_a_hostile_record_id_as_text(everything, client, api, engine, tmp_path):
    answer = everything.push("feedback", [feedback(9, id=HOSTILE_ID, channel="fax")])
    r = client.get(
        f"/api/v1/ingest/batches/{answer['batch']}/errors.csv",
        headers=auth(api.token("admin")),
    )
    (_, row) = list(csv.reader(io.StringIO(r.text)))
    assert row[1] == "'" + HOSTILE_ID
    path = tmp_path / "phan-anh.csv"
    path.write_text(
        "id,channel,received_at,category,text,status\n"
        "-2+3,fax,2025-09-02T09:30:00+07:00,moi-truong,Rác,received\n",
        encoding="utf-8",
    )
    errors = tmp_path / "errors.csv"
    import_file(
        engine,
        path,
        source=everything.name,
        type_name="feedback",
        principal=LOCAL_ADMIN,
        errors_path=errors,
    )
    (_, row) = list(csv.reader(io.StringIO(errors.read_text(encoding="utf-8"))))
    assert row[1] == "'-2+3"
