"""Every module's tables in one metadata: for Alembic autogenerate and the migration test."""

from sqlalchemy import MetaData

from ioc57.accounts import tables as _accounts  # noqa: F401
from ioc57.core import audit as _audit  # noqa: F401
from ioc57.core.db import metadata
from ioc57.indicators import tables as _indicators  # noqa: F401
from ioc57.ingest import tables as _ingest  # noqa: F401
from ioc57.units import tables as _units  # noqa: F401


def all_tables() -> MetaData:
    return metadata
