"""Administrative units (before and after the 2025 reorganisation) and agencies."""
