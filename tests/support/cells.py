"""Rows of the gate's ``rollups`` table written and read with plain SQL, as a migration test
sees them before and after its step (no table object of the code, which follows the newest
schema)."""

from __future__ import annotations

from sqlalchemy import text

COLUMNS = ("metric", "unit_id", "day", "dims", "province_code", "count", "sum")
INSERT = text(
    f"INSERT INTO rollups ({', '.join(COLUMNS)}) VALUES ({', '.join(':' + c for c in COLUMNS)})"
)


def write_cells(engine, rows: list[tuple]) -> None:
    with engine.begin() as conn:
        conn.execute(INSERT, [dict(zip(COLUMNS, row, strict=True)) for row in rows])


def stored_cells(engine) -> list[tuple]:
    """Every row, its day as text, sorted."""
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT {', '.join(COLUMNS)} FROM rollups")).all()
    return sorted((m, u, str(d), x, p, n, s) for m, u, d, x, p, n, s in rows)
