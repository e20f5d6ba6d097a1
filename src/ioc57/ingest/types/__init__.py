"""The record types of the gate; ``../shared/specs/records.md`` is their contract."""

from ioc57.ingest.types.base import RecordType
from ioc57.ingest.types.dossier import DOSSIER
from ioc57.ingest.types.feedback import FEEDBACK
from ioc57.ingest.types.observation import OBSERVATION
from ioc57.ingest.types.procedure import PROCEDURE
from ioc57.ingest.types.reading import READING

RECORD_TYPES: dict[str, RecordType] = {
    t.name: t for t in (PROCEDURE, DOSSIER, FEEDBACK, READING, OBSERVATION)
}

__all__ = ["RECORD_TYPES", "RecordType"]
