"""evkg: graph."""
