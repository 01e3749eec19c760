"""A small thread-safe least-recently-used map, for the caches of views, page bodies and
layouts (each keyed by store version, so old entries age out as the store changes), bounded
by a count of entries and, for values whose size varies a thousandfold (a neighbourhood's
body: 100 KB compact, megabytes with its evidence), by their total weight too."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class Lru(Generic[Value]):
    """At most `size` entries, and with `weigh`, at most `budget` of their total weight (a
    value heavier than that alone is not kept); reading one makes it the most recent."""

    def __init__(
        self, size: int, budget: int = 0, weigh: Callable[[Value], int] | None = None
    ) -> None:
        self._size = size
        self._budget, self._weigh = budget, weigh
        self._weight = 0
        self._items: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Value | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: Hashable, value: Value) -> None:
        weigh = self._weigh
        weight = weigh(value) if weigh is not None else 0
        if weight > self._budget and weigh is not None:
            return
        with self._lock:
            if weigh is not None:
                if key in self._items:
                    self._weight -= weigh(self._items[key])
                self._weight += weight
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size or (
                weigh is not None and self._weight > self._budget
            ):
                _, dropped = self._items.popitem(last=False)
                if weigh is not None:
                    self._weight -= weigh(dropped)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
