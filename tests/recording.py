"""A store reader that keeps the queries asked through it, for tests of what a component
asks the store (how many queries, of which shape), not only what it answers."""

from __future__ import annotations

from typing import Any


class Recording:
    """Asks `store` and keeps each query asked, in order."""

    def __init__(self, store: Any) -> None:
        self.store, self.queries = store, list[str]()

    def select(self, sparql: str) -> list[dict]:
        self.queries.append(sparql)
        return self.store.select(sparql)
