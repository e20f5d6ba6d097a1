"""Layer 3: the data gate (the LGSP role): sources, record types, validation, idempotent storage, rollups."""
