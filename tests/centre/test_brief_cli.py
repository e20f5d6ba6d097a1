"""``ioc57 brief make`` and ``ioc57 brief send``, run as a person runs them: a real process on a
real database."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta

from docx import Document

from ioc57.core.clock import today

from ..support.receivers import mail_sink


def ioc57(db_url, *args, env=None):
    full_env = os.environ | {"IOC57_DATABASE_URL": db_url} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "ioc57", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_make_writes_a_units_brief_and_send_reports_what_it_sent(db_url, tmp_path):
    out = tmp_path / "brief.docx"
    r = ioc57(db_url, "brief", "make", "--unit", "82", "--format", "docx", "-o", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    doc = Document(io.BytesIO(out.read_bytes()))
    assert "UBND TỈNH ĐỒNG THÁP" in doc.tables[0].rows[0].cells[0].text

    pdf = tmp_path / "brief.pdf"
    day = (today() - timedelta(days=1)).isoformat()
    r = ioc57(db_url, "brief", "make", "--day", day, "--format", "pdf", "-o", str(pdf))
    assert r.returncode == 0, r.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")

    future = (today() + timedelta(days=2)).isoformat()
    r = ioc57(db_url, "brief", "make", "--day", future, "-o", str(out))
    assert r.returncode == 2 and "day" in r.stderr

    with mail_sink() as sink:
        smtp = {"IOC57_SMTP_HOST": sink.host, "IOC57_SMTP_PORT": str(sink.port)}
        r = ioc57(db_url, "brief", "send", "--day", day, env=smtp)
    assert r.returncode == 0, r.stderr
    assert "0 sent, 0 failed" in r.stdout  # nobody subscribes
