"""The HTTP protocol `serve` runs: uvicorn's h11 protocol, whose own answers carry the security headers.

uvicorn answers some requests before the app sees them: a request it cannot parse (a malformed
request line or header, HTTP/1.1 without Host, headers over h11's 16 KiB) gets a 400, and an app that
fails before it starts a response gets uvicorn's 500. Those left without worker/web/errors.py
SECURITY_HEADERS; this protocol sends them with both. It is passed to uvicorn's Config as `http=`,
so it is used whether or not httptools is installed, and nothing of uvicorn is patched.
"""

from __future__ import annotations

import logging
from typing import Any

import h11
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from worker.web.errors import SECURITY_HEADERS

log = logging.getLogger("newsarchive.web")

_SECURITY = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
_PLAIN = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]


class HardenedH11Protocol(H11Protocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app = _answers_its_own_failures(self.app)

    def send_400_response(self, msg: str) -> None:
        """uvicorn's own 400 (H11Protocol.send_400_response), with the security headers."""
        response = h11.Response(status_code=400, headers=[*_PLAIN, *_SECURITY], reason=b"Bad Request")
        for event in (response, h11.Data(data=msg.encode("ascii")), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()


def _answers_its_own_failures(app: ASGIApp) -> ASGIApp:
    """An app that never leaves a request to uvicorn's bare 500: when it fails or ends before starting
    a response, this answers 500 with the security headers (a failure after the start still closes the
    connection, as uvicorn does)."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await app(scope, receive, watched)
        except Exception:
            if started:
                raise
            log.exception("%s %s failed before answering", scope.get("method"), scope.get("path"))
            await _server_error(send)
            return
        if not started:
            log.error("%s %s ended without answering", scope.get("method"), scope.get("path"))
            await _server_error(send)

    return guarded


async def _server_error(send: Send) -> None:
    await send({"type": "http.response.start", "status": 500, "headers": [*_PLAIN, *_SECURITY]})
    await send({"type": "http.response.body", "body": b"Internal Server Error", "more_body": False})
