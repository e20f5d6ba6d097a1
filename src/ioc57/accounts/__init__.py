"""Users, roles, unit scopes, API tokens, and the one place where access is decided."""
