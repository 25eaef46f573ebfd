"""deadlines (to be written)."""
