"""Response bodies written by a thread and sent as they are written, through a pipe, so a
dump of the whole store never sits whole in memory.

A writer that fails, or that outlives its time limit (a client that stops reading stalls
the pipe), closes the pipe and the body then raises: the server aborts the response
instead of ending it, and the client sees a cut body, never a short one that looks whole.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import select
import threading
import time
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

log = logging.getLogger("evkg")
CHUNK = 1 << 16


class StreamFailed(RuntimeError):
    """The writer of a streamed body failed or ran out of time; the body is incomplete."""


class _PipeWriter(io.RawIOBase):
    """The pipe's write end, refusing to wait past `deadline` (time.monotonic) for room."""

    def __init__(self, fd: int, deadline: float | None) -> None:
        self.fd = fd
        self.deadline = deadline
        self.room = select.poll()
        self.room.register(fd, select.POLLOUT)
        os.set_blocking(fd, False)

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        """As much of `data` as the pipe has room for, once it has some."""
        if self.deadline is None:
            self.room.poll()
        else:
            wait = self.deadline - time.monotonic()
            if wait <= 0 or not self.room.poll(wait * 1000):
                raise TimeoutError("the body was not read within its time limit")
        return os.write(self.fd, data)

    def close(self) -> None:
        if not self.closed:
            os.close(self.fd)
        super().close()


def streamed(produce: Callable[[IO[bytes]], None], limit: float | None = None) -> Iterator[bytes]:
    """The bytes `produce(out)` writes to `out` in a thread, started now, in chunks as they
    come; `limit` seconds for the whole body (None: no limit). Raises StreamFailed at the
    end of what was written if `produce` failed."""
    read_fd, write_fd = os.pipe()
    deadline = None if limit is None else time.monotonic() + limit
    failure: list[BaseException] = []

    def run() -> None:
        out = io.BufferedWriter(_PipeWriter(write_fd, deadline), CHUNK)
        try:
            produce(out)
            out.flush()
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, which raises it
            failure.append(exc)
        finally:
            with contextlib.suppress(OSError):  # the reader is gone: nothing to tell
                out.close()

    threading.Thread(target=run, daemon=True, name="evkg-stream").start()

    def chunks() -> Iterator[bytes]:
        try:
            while chunk := os.read(read_fd, CHUNK):  # what has come, not a full chunk
                yield chunk
        finally:
            os.close(read_fd)  # a writer still writing then fails, and stops
        if failure:
            log.warning("a streamed body was cut short: %s", failure[0])
            raise StreamFailed(f"the body was cut short: {failure[0]}") from failure[0]

    return chunks()
