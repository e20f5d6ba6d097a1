"""The citizen-reports module's background work in ``ioc57 serve``: the deadline rounds (near and
past deadlines announced) and the suggestion's models, retrained as operators confirm reports."""

from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    from ioc57.feedback import deadline_job, suggest_job

    deadline_job.install(app)
    suggest_job.install(app)
