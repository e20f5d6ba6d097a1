"""The example rows of a ``programme`` and a ``task`` of it (the import page's example files,
``ingest.columns``): import the programme's first, then the task's."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

CODE = "EXAMPLE"


def programme_example(unit: str, moment: datetime) -> dict[str, Any]:
    return {
        "code": CODE,
        "title": "EXAMPLE",
        "issued_by": "EXAMPLE",
        "issued_date": moment.date(),
        "unit": unit,
        "updated_at": moment,
    }


def task_example(unit: str, moment: datetime) -> dict[str, Any]:
    return {
        "programme": CODE,
        "code": "1",
        "content": "EXAMPLE",
        "agency": unit,
        "deadline": moment.date() + timedelta(days=30),
        "updated_at": moment,
    }
