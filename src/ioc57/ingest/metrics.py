"""Rollup metrics that one module writes and another reads: the vocabulary the modules share
through the gate, so that neither names the other.

- ``REPORTS_ON_PROCEDURES``: a citizen report about an administrative procedure, on the day it
  was received, with dims ``repeated=yes|no``, ``satisfaction=satisfied|unsatisfied|none`` and
  ``answer_days=N`` (the working days taken to answer it; ``none`` while unanswered). Written by
  the citizen reports' module, read by the Decision 766 index (satisfaction group).
"""

from __future__ import annotations

REPORTS_ON_PROCEDURES = "reports.on_procedures"
