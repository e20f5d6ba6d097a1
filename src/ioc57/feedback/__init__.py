"""Citizen reports (phản ánh, kiến nghị): hotline 1022, the web, apps and Open311."""
