"""Public services: administrative dossiers and, later, the Decision 766 index."""
