"""Migration 0014 removes the gate's cells of reported values and keeps every other cell.

The scorecard reads its own rollups (``indicator_rollups``); the ``observation.*`` cells that
the gate used to keep beside them were read by nothing, and a rebuild no longer writes them.
"""

from alembic import command

from ioc57.core.db import make_engine
from ioc57.core.migrate import alembic_config

from ..support.cells import stored_cells, write_cells

KEPT = [
    ("dossier.received", 1, "2026-11-02", "channel=online", "82", 3, 0.0),
    ("feedback.received", 2, "2026-11-03", "category=road", "82", 1, 0.0),
    ("observations.custom", 2, "2026-11-03", "", "82", 1, 0.0),  # another module's name
]
REMOVED = [
    ("observation.value", 1, "2026-09-30", "indicator=a|period=202609", "82", 1, 12.5),
    ("observation.numerator", 1, "2026-09-30", "indicator=a|period=202609", "82", 1, 10.0),
    ("observation.denominator", 1, "2026-09-30", "indicator=a|period=202609", "82", 1, 80.0),
]


def test_the_cells_of_reported_values_go_and_the_others_stay(empty_db_url):
    engine = make_engine(empty_db_url)
    config = alembic_config(engine)
    command.upgrade(config, "0013")
    write_cells(engine, KEPT + REMOVED)
    assert len(stored_cells(engine)) == len(KEPT + REMOVED)

    command.upgrade(config, "0014")
    assert stored_cells(engine) == sorted(KEPT)

    command.downgrade(config, "0013")
    assert stored_cells(engine) == sorted(KEPT)
