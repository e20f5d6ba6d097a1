"""The operations centre: what needs attention today, key figures, the wall and the daily brief,
made of what every installed module offers through its manifest (concerns, tiles, map layers)."""
