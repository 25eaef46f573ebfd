"""documents (to be written)."""
