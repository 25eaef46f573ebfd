"""search (to be written)."""
