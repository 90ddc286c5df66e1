"""A limit on every request body, enforced while the body streams in.

Content-Length alone is no limit: a chunked body has none, and a client may send more than
it declared. So the bytes are counted as they arrive, and the request is refused with 413
as soon as the limit is passed (or, when the declared length is already too large, before
any of it is read).

Before the 413 is sent, what is left of the body is read and thrown away, up to the
gateway's own limit (`drain_bytes`) and for at most DRAIN_SECONDS (a proxy on the same
network writes a megabyte in milliseconds; a client that declares more than it sends waits
that long for its 413, not for ever). A proxy in front (Caddy) is still writing the body
upstream when the service answers; if the service closed the connection first, the proxy's
write failed and it answered 502 instead of passing the 413 on (CI saw it): the client was
told "try again later" instead of "send less". Reading at most what the gateway lets
through costs little; a body beyond it, declared or still coming after the bound, is
refused at once, as before.
"""

from __future__ import annotations

import asyncio

from fastapi import HTTPException, status
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Any JSON body a route takes, except an envelope's, is far below this.
DEFAULT_MAX_BODY_BYTES = 1 << 20
# A refused body still arriving after this long is not waited for.
DRAIN_SECONDS = 2.0


def gateway_body_limit(configured: int | None) -> int:
    """What the gateway lets through (SAFEHANDS_HTTP_MAX_BODY_BYTES, else the default): the
    gateway refuses beyond it, and a service drains a refused body up to it."""
    return configured or DEFAULT_MAX_BODY_BYTES


def _sentence(limit: int) -> str:
    return f"The request body is larger than the {limit} bytes this service accepts; send less."


class BodyTooLarge(HTTPException):
    """Raised from `receive` once the body passes the limit. An HTTPException, so that
    FastAPI, which reads the body, answers it as one (413 with the sentence)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status.HTTP_413_CONTENT_TOO_LARGE, _sentence(limit))


def _too_large(limit: int) -> JSONResponse:
    # The rest of the body is never read, so the connection cannot carry another request.
    return JSONResponse(
        {"detail": _sentence(limit)},
        status_code=status.HTTP_413_CONTENT_TOO_LARGE,
        headers={"Connection": "close"},
    )


def _declared_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    if value is None or not value.isdigit():
        return None
    return int(value)


async def _drain(receive: Receive, received: int, most: int) -> None:
    """Read and drop the rest of a refused body while its total stays within `most` bytes
    and DRAIN_SECONDS; beyond either, stop (the connection closes with the answer)."""
    try:
        async with asyncio.timeout(DRAIN_SECONDS):
            while received <= most:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                received += len(message.get("body", b""))
                if not message.get("more_body", False):
                    return
    except TimeoutError:
        return


class BodyLimitMiddleware:
    def __init__(
        self, app: ASGIApp, max_bytes: int, drain_bytes: int = DEFAULT_MAX_BODY_BYTES
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # What a proxy in front may still be writing: the gateway's limit.
        self.drain_bytes = max(drain_bytes, max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            if declared <= self.drain_bytes:
                await _drain(receive, 0, self.drain_bytes)
            await _too_large(self.max_bytes)(scope, receive, send)
            return
        received = 0
        refused = False
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    refused = True
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                if refused and not response_started:
                    # The route answered the refusal itself (FastAPI reads the body).
                    await _drain(receive, received, self.drain_bytes)
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:
            # Read outside a route (which would have answered it itself).
            if response_started:
                raise
            await _drain(receive, received, self.drain_bytes)
            await _too_large(self.max_bytes)(scope, receive, send)
