"""Where the dossiers shown come from: a simulated source's are labelled "dữ liệu mô phỏng"
wherever they show (pages, the API, the scorecard's computed indicators)."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from ioc57.ingest.provenance import simulated_records


def simulated_dossiers(conn: Connection, unit_ids: list[int]) -> bool:
    """Whether a simulated source sent dossiers to these units' provinces."""
    return simulated_records(conn, "dossier", unit_ids)
