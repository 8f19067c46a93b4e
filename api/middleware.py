"""What every request goes through before a route sees it: body limits, text that is not
valid Unicode, and no caching of answers that may hold health data."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import problems
from api.refusals import audit_invalid

# JSON bodies: the largest dictation allowed, four bytes a character at worst, plus the context.
JSON_OVERHEAD = 64 * 1024
# A JSON escape of a UTF-16 surrogate (\ud800-\udfff): only a well-formed pair is a character.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _holds_surrogate(value: Any) -> bool:
    """Whether a parsed JSON value holds a lone surrogate in any string, key or value (walked
    without recursion: nesting depth is the caller's choice)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def is_unicode_text(body: bytes) -> bool:
    """UTF-8 without lone surrogates, raw or escaped (``"\\ud800"`` is valid JSON syntax but
    no character: Python would carry it until an encoder fails, deep inside the service)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if _SURROGATE_ESCAPE.search(text) is None:
        return True
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return True  # not JSON: the route reports that
    return not _holds_surrogate(value)


class RequestGuard:
    """Refuse bodies over the limits before they are read into memory or onto disk (413, for a
    declared length and for a chunked body alike), and bodies that are not valid Unicode text
    (422). Uploads (multipart) are counted as they stream; other bodies, small by the limit,
    are read here and checked whole."""

    def __init__(self, app: ASGIApp, *, json_limit: int, upload_limit: int) -> None:
        self.app = app
        self.json_limit = json_limit
        self.upload_limit = upload_limit + JSON_OVERHEAD  # multipart framing and the context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", ()))
        multipart = headers.get(b"content-type", b"").lower().startswith(b"multipart/")
        limit = self.upload_limit if multipart else self.json_limit
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(scope, receive, send, limit)
        elif multipart:
            await self._streamed(scope, receive, send, limit)
        else:
            await self._whole(scope, receive, send, limit)

    async def _whole(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left: nobody to answer
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                await _too_large(scope, receive, send, limit)
                return
        if body and not is_unicode_text(bytes(body)):
            refused = await audit_invalid(Request(scope))
            response = refused or problems.problem_response(
                422,
                "the body is not valid Unicode text (invalid UTF-8, or a lone surrogate such "
                "as \\ud800)",
                slug="invalid-unicode",
                instance=scope["path"],
            )
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        seen = 0
        over = started = False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    raise _TooLarge(limit)
            return message

        async def answer(message: Message) -> None:
            # A body that grew over the limit (chunked, no length given) surfaces as the form
            # parser's error (400): the answer is 413 whatever the app made of it.
            nonlocal started
            if message["type"] == "http.response.start":
                if started:
                    return
                started = True
                if over:
                    await _too_large(scope, receive, send, limit)
                    return
            elif over:
                return
            await send(message)

        try:
            await self.app(scope, counted, answer)
        except _TooLarge:
            if not started:
                await _too_large(scope, receive, send, limit)


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    response = problems.problem_response(
        413, f"the request body is over {limit:,} bytes", slug="too-large"
    )
    await response(scope, receive, send)


class _TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"body over {limit} bytes")


class NoStore:
    """Every answer under /v1 may hold health data: no cache (browser or proxy) keeps it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1"):
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k != b"cache-control"]
                headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_no_store)
