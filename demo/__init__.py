"""The demo: a simulated home for a real Home Assistant (`scripts/develop`, the browser test)."""
