"""Refuse request bodies over the configured size with 413, before any route reads them."""

from __future__ import annotations

import json
import re

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a streamed body passes the cap.

    It is an HTTPException so that FastAPI, which turns other errors met while reading a
    body into 400, lets it through to the 413 handler.
    """

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, _too_large(max_bytes))


class BodySizeLimitMiddleware:
    """Caps every request body at ``max_bytes``.

    A declared Content-Length over the cap is answered at once; a chunked body is counted
    as it streams and cut off at the cap. Routes that take large uploads (recordings,
    posters) will name their own larger cap here when they arrive.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        larger: dict[str, int] | None = None,
        larger_paths: dict[str, int] | None = None,
    ) -> None:
        self.app = app
        self.default_max = max_bytes
        # Path prefixes that accept more (program imports, later uploads), longest first.
        self.larger = sorted((larger or {}).items(), key=lambda item: -len(item[0]))
        # Whole paths with an id inside ("/api/v1/posters/{id}/pdf": regular expressions),
        # where a prefix would also admit the routes beside them.
        self.larger_paths = [(re.compile(p), limit) for p, limit in (larger_paths or {}).items()]

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.larger:
            if path.startswith(prefix):
                return limit
        for pattern, limit in self.larger_paths:
            if pattern.fullmatch(path):
                return limit
        return self.default_max

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.limit_for(scope["path"])
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _refuse(send, 400, "Invalid Content-Length header.")
                    return
                if declared > max_bytes:
                    await _refuse(send, 413, _too_large(max_bytes))
                    return
        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise BodyTooLarge(max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not response_started:
                await _refuse(send, 413, _too_large(max_bytes))


def _too_large(max_bytes: int) -> str:
    return f"Request body too large: the limit is {max_bytes} bytes."


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
