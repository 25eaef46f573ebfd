"""grants (to be written)."""
