"""Sub-commands of the evkg CLI."""
