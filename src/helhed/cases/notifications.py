"""notifications (to be written)."""
