"""uvicorn's HTTP/1.1 protocol (h11), answering the requests it refuses itself, before any
ASGI application sees them (not valid HTTP, a request line or headers over h11's limit), as
problem details like every other error. uvicorn takes a protocol class as its `http`
setting; only the answer to a refused request differs from its own."""

from __future__ import annotations

import json
from http import HTTPStatus

import h11
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE  # uvicorn's default too
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.problems import MEDIA


def refusal(data: bytes, limit: int) -> tuple[int, str]:
    """The status and detail for a request h11 refused, from the bytes it had buffered: over
    the limit before the request line ended is 414, before the headers ended 431, else 400."""
    if len(data) > limit:
        if b"\n" not in data[: limit + 1]:
            return 414, f"the request line is over {limit} bytes (the limit on URL length)"
        return 431, f"the request line and headers are over {limit} bytes (the limit on headers)"
    return 400, "the request is not valid HTTP/1.1"


class ProblemH11Protocol(H11Protocol):
    def send_400_response(self, msg: str) -> None:
        limit = self.config.h11_max_incomplete_event_size or DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
        status, detail = refusal(self.conn.trailing_data[0], limit)
        body = json.dumps(
            {
                "type": "about:blank",
                "title": HTTPStatus(status).phrase,
                "status": status,
                "detail": detail,
            }
        ).encode()
        headers = [
            (b"content-type", MEDIA.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        self.transport.write(
            self.conn.send(
                h11.Response(
                    status_code=status, headers=headers, reason=HTTPStatus(status).phrase.encode()
                )
            )
            or b""
        )
        self.transport.write(self.conn.send(h11.Data(data=body)) or b"")
        self.transport.write(self.conn.send(h11.EndOfMessage()) or b"")
        self.transport.close()
