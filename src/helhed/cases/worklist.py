"""worklist (to be written)."""
