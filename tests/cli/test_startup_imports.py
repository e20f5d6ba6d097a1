"""Every ioc57 process (each command, ``--help`` too, and the web app) starts without the heavy
packages that only one function needs: the address parser (vietnamadminunits, ~45 MB and half a
second), the XLSX writer (openpyxl, which loads numpy) and the password estimator's word lists
(zxcvbn). Each is imported in the function that uses it. A command's process does not import the
modules' pages, APIs, overview panels and demos either (the manifests name them), nor the HTTP
client (httpx) that only the simulator and pulls use: they cost each command a third of a second."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("vietnamadminunits", "vietnam_provinces", "openpyxl", "numpy", "zxcvbn")
WEB_ONLY = ("httpx", ".api", ".index_api", ".worklist_api", ".work_api", "page", ".demo")

STARTUP = """
import sys
import ioc57.cli  # every command's process, with the modules' commands
print(" ".join(sorted(sys.modules)))
from ioc57.web.app import create_app
create_app()  # the app of ``ioc57 serve``, with every module installed
print(" ".join(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_the_cli_and_the_app_start_without_the_heavy_packages(db_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
    env["IOC57_DATABASE_URL"] = db_url
    run = subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    command, app = (line.split() for line in run.stdout.splitlines())
    assert {"ioc57", "fastapi", "click"} <= set(app)  # it did start
    assert [name for name in HEAVY if name in app] == []
    assert "ioc57.services.manifest" in command and "ioc57.ingest.commands" in command
    web_only = [
        m
        for m in command
        if m == "httpx"
        or m.startswith("ioc57.")
        and not m.startswith("ioc57.traceability.")  # its manifest names its routers itself
        and any(part in m for part in WEB_ONLY[1:])
    ]
    assert web_only == []
