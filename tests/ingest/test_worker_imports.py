"""A worker process of the gate loads only what validating a row needs.

Each worker is a fresh interpreter (spawned): a module it imports for nothing costs every worker
its memory and start-up time. The address parser's data (vietnamadminunits, ~45 MB) and the web
app are never needed to validate rows, and a record type arrives by reference to its own module.
"""

from __future__ import annotations

import pickle
import subprocess
import sys

from ioc57.ingest.types import RECORD_TYPES

WORKER = """
import pickle, sys
import ioc57.ingest.chunks  # what a worker process starts with
pickle.loads(bytes.fromhex(sys.argv[1]))  # the record type it is sent
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in ("vietnamadminunits", "ioc57"))))
"""


def test_a_worker_does_not_load_the_address_parser_nor_the_web_app():
    sent = pickle.dumps(RECORD_TYPES["dossier"]).hex()
    loaded = subprocess.run(
        [sys.executable, "-c", WORKER, sent], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "ioc57.services.dossier" in loaded  # the record type, by reference to its module
    assert not [m for m in loaded if m.startswith("vietnamadminunits")]
    assert not [m for m in loaded if m.startswith(("ioc57.web", "ioc57.modules"))]
