"""Every module's tables in one metadata: for Alembic autogenerate and the migration test."""

from sqlalchemy import MetaData

from ioc57 import modules
from ioc57.core import audit as _audit  # noqa: F401  (the platform's own table)
from ioc57.core.db import metadata


def all_tables() -> MetaData:
    modules.installed()  # a module's manifest imports its tables, which join the metadata
    return metadata
