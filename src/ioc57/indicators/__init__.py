"""The Resolution 57 scorecard: indicator catalogue, reported values, targets, aggregation, progress."""
