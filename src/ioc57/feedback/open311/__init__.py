"""Open311 GeoReport v2 for citizen reports: third-party apps read the categories and the reports
(as the public sees them) and file reports with a key an admin issues (``api``)."""
