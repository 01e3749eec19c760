"""A gate between the uses of a store's engine and the swap of its folder (`adopt`): uses go
on side by side; a swap waits for those under way, holds off new ones, and lets them on
once the new folder is open. Re-entrant per thread, so a use that calls another (a SELECT
that runs a query) never waits on a swap waiting on itself."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Concatenate, ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Gate:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._users = 0
        self._swapping = False
        self._held = threading.local()

    @contextmanager
    def use(self) -> Iterator[None]:
        depth = getattr(self._held, "depth", 0)
        if depth == 0:
            with self._changed:
                while self._swapping:
                    self._changed.wait()
                self._users += 1
        self._held.depth = depth + 1
        try:
            yield
        finally:
            self._held.depth = depth
            if depth == 0:
                with self._changed:
                    self._users -= 1
                    self._changed.notify_all()

    @contextmanager
    def swap(self) -> Iterator[None]:
        with self._changed:
            while self._swapping:
                self._changed.wait()
            self._swapping = True
            while self._users:
                self._changed.wait()
        try:
            yield
        finally:
            with self._changed:
                self._swapping = False
                self._changed.notify_all()


class Gated(Protocol):
    gate: Gate


S = TypeVar("S", bound=Gated)


def gated(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """A method that uses the engine, behind its object's gate."""

    @wraps(method)
    def inner(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.gate.use():
            return method(self, *args, **kwargs)

    return inner


__all__ = ["Gate", "gated"]
