"""Sensors and their readings: salinity stations first."""
