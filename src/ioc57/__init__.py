"""ioc57 — an open-source Intelligent Operations Center for Vietnamese provinces."""

__version__ = "0.1.0"
