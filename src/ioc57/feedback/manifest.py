"""What the citizen-reports module brings: the ``feedback`` record (hotline 1022, web, apps)."""

from __future__ import annotations

from ioc57.feedback.records import FEEDBACK
from ioc57.feedback.simulation import Reports
from ioc57.modules import Module

MODULE = Module(name="feedback", record_types=(FEEDBACK,), simulation=(Reports,))
