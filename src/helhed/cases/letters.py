"""letters (to be written)."""
