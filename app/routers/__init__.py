"""evkg: app/routers."""
