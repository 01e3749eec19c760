"""evkg: ingest."""
