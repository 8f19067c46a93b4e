"""Server-rendered pages: the Jinja environment, page responses and the headers every web
answer carries (no caching of pages that may hold health data, a strict content policy)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.keys import Role

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
API_PATHS = ("/v1", "/health", "/docs", "/redoc", "/openapi.json")

# Scripts, styles and media from this site only: no inline script can run, nothing is fetched
# from elsewhere (the app works offline), no other site may frame it.
CONTENT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# Short notices after a redirect, by code (the query string never carries text).
NOTICES = {
    "signed-out": "You are signed out.",
    "corrected": "Correction saved; the claim was re-coded.",
    "signed-off": "Signed off.",
    "user-created": "User created.",
    "user-disabled": "User disabled; their sessions ended.",
    "key-revoked": "Key revoked.",
    "expired": "Your session has ended. Sign in again.",
}


def _date(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _money(value: float | None) -> str:
    return "" if value is None else f"${value:,.2f}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["when"] = _date
    env.filters["money"] = _money
    env.filters["label"] = lambda value: str(value).replace("_", " ")
    return env


ENV = _environment()


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page, with the signed-in user (if any) and the navigation for their role."""
    user = getattr(request.state, "web_user", None)
    notice = NOTICES.get(request.query_params.get("m", ""))
    html = ENV.get_template(template).render(
        user=user,
        role=user.role.value if user else None,
        Role=Role,
        notice=notice,
        path=request.url.path,
        **context,
    )
    return HTMLResponse(html, status_code=status)


def see_other(url: str) -> RedirectResponse:
    """After a write: the browser loads ``url`` with GET (reloading never repeats the write)."""
    return RedirectResponse(url, status_code=303)


def is_web_path(path: str) -> bool:
    return not path.startswith(API_PATHS)


class WebHeaders:
    """Headers on every web answer: pages are never cached (they may hold health data; static
    assets may be), a strict content policy, no referrer to other sites, no sniffing, no framing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_web_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k != b"cache-control"]
                headers += [
                    (b"content-security-policy", CONTENT_POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                    (b"cache-control", b"private, max-age=3600" if static else b"no-store"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
