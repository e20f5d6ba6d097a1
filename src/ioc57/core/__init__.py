"""Layer 1: settings, database, migrations, errors, security primitives, audit, events."""
