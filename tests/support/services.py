"""Dossiers of province 82 (Đồng Tháp) for the services tests, and the time they are seen at."""

from __future__ import annotations

from datetime import datetime

from ioc57.core.clock import LOCAL_TZ

from ..ingest.records import dossier

# Wednesday 15 October 2025, mid-morning: no holiday within two weeks either side
NOW = datetime(2025, 10, 15, 10, 0, tzinfo=LOCAL_TZ)
AGENCY = "STP-82"  # the province's justice department, made for the tests


def hs(n: int, due: str, **changes) -> dict:
    """Dossier HS-n of procedure 1.001, received on Wednesday 1 October 2025, due at ``due``
    (local time)."""
    return dossier(
        n,
        procedure="1.001",
        received_at="2025-10-01T08:00:00+07:00",
        due_at=f"{due}+07:00",
        updated_at="2025-10-01T08:00:00+07:00",
        **changes,
    )
