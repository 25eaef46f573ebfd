"""decisions (to be written)."""
