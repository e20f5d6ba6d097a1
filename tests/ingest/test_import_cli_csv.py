"""``ioc57 import`` of a CSV file from the command line, progress bar and all."""

import os
import subprocess
import sys

from ..support.http import auth

CSV = (
    "id,procedure,unit,channel,received_at,due_at,status,updated_at\n"
    "HS-1,1.001234,28261,online,2025-09-01T08:00:00+07:00,2025-09-10T17:00:00+07:00,received,2025-09-01T08:00:00+07:00\n"
    "HS-2,1.001234,28261,pigeon,2025-09-01T08:00:00+07:00,2025-09-10T17:00:00+07:00,received,2025-09-01T08:00:00+07:00\n"
)


def test_a_csv_import_prints_the_counts_and_writes_the_error_report(client, api, db_url, tmp_path):
    r = client.post(
        "/api/v1/sources",
        json={"name": "dvc-82", "types": ["dossier"], "units": ["82"]},
        headers=auth(api.token("admin")),
    )
    assert r.status_code == 201
    path = tmp_path / "hoso.csv"
    path.write_text(CSV, encoding="utf-8")
    env = os.environ | {"IOC57_DATABASE_URL": db_url}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "ioc57",
            "import",
            str(path),
            "--type",
            "dossier",
            "--source",
            "dvc-82",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "accepted: 1" in run.stdout and "rejected: 1" in run.stdout
    report = (tmp_path / "hoso.csv.errors.csv").read_text(encoding="utf-8")
    assert "HS-2" in report and "channel" in report
