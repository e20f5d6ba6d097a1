"""Every ioc57 process (each command, ``--help`` too, and the web app) starts without the heavy
packages that only one function needs: the address parser (vietnamadminunits, ~45 MB and half a
second), the XLSX writer (openpyxl, which loads numpy) and the password estimator's word lists
(zxcvbn). Each is imported in the function that uses it. A command's process does not import the
pages, APIs, overview panels and demos that the manifests name (``core.refs.resolve``), nor the
HTTP client (httpx) that only the simulator and pulls use: they cost each command ~0.3 s."""

from __future__ import annotations

import subprocess
import sys

from ..support.servers import ioc57_env

HEAVY = ("vietnamadminunits", "vietnam_provinces", "openpyxl", "numpy", "zxcvbn")

STARTUP = """
import sys
import ioc57.cli  # every command's process, with the modules' commands
from ioc57 import modules
named = {
    ref.partition(":")[0]
    for m in modules.installed()
    for ref in (*m.api, *m.pages, *(p.render for p in m.panels), m.demo)
    if isinstance(ref, str)
}
print(" ".join(sorted(named)))
print(" ".join(sorted(m for m in sys.modules if m in named or m == "httpx")))
from ioc57.web.app import create_app
create_app()  # the app of ``ioc57 serve``, with every module installed
print(" ".join(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_the_cli_and_the_app_start_without_the_heavy_packages(db_url):
    env = ioc57_env()
    env["IOC57_DATABASE_URL"] = db_url
    run = subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    named, imported_by_the_cli, app = (line.split() for line in run.stdout.splitlines())
    assert {"ioc57", "fastapi", "click"} <= set(app)  # it did start
    assert [name for name in HEAVY if name in app] == []
    assert {"ioc57.tasks.api", "ioc57.services.demo", "ioc57.units.overview"} <= set(named)
    assert imported_by_the_cli == []
