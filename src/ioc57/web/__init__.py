"""Layer 5: the app factory that mounts every module's router and pages."""
