"""evkg: app."""
