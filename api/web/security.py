"""Who is signed in (the session cookie), what they may do (roles, as in the API), and CSRF
protection for every write. Refusals are audited like the API's."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.responses import Response

from api.audit import Anonymous, Caller, record_now
from api.deps import Services, ServicesDep, action_of, client_address
from api.keys import Role
from api.web.accounts import SignedIn, current
from api.web.settings import WebSettings

COOKIE = "scribe_session"
LOGIN_COOKIE = "scribe_login"  # the sign-in form's own CSRF token, before any session
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SOCKET_SCHEMES = {"ws": "http", "wss": "https"}  # a socket's page, by the socket's scheme


class SignInRequired(Exception):
    """No live session: the browser is sent to the sign-in page."""


class WebRefusal(Exception):
    """A refused page or write (403, 404...): shown as a page, never with PHI."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class WebUser:
    """The signed-in person: their session and the caller the service modules take."""

    signed_in: SignedIn
    caller: Caller

    @property
    def role(self) -> Role:
        return self.signed_in.principal.role

    @property
    def csrf_token(self) -> str:
        return self.signed_in.csrf_token


def web_settings(request: Request) -> WebSettings:
    found: WebSettings = request.app.state.web_settings
    return found


def secure_cookie(request: Request, settings: WebSettings) -> bool:
    if settings.secure_cookies != "auto":
        return settings.secure_cookies == "always"
    return request.url.scheme == "https"


def set_session_cookie(
    response: Response, request: Request, token: str, settings: WebSettings
) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(settings.session_max_hours * 3600),
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure_cookie(request, settings),
    )


def clear_session_cookie(response: Response, request: Request, settings: WebSettings) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="strict", secure=secure_cookie(request, settings)
    )


def _lookup(services: Services, token: str, settings: WebSettings) -> SignedIn | None:
    with services.sessions() as session:
        return current(session, token, settings)


def record_refusal(
    services: Services, request: Request, caller: Caller | None, outcome: str
) -> None:
    """Audit a refused web request under its route's action."""
    found = request.path_params.get("encounter_id")
    encounter_id = found if isinstance(found, str) else None
    actor = caller or Anonymous(client_address(request))
    with services.sessions() as session:
        record_now(session, actor, action_of(request), outcome=outcome, encounter_id=encounter_id)


async def signed_in(request: Request, services: ServicesDep) -> WebUser:
    """The signed-in user, or the sign-in page (the refusal is audited)."""
    settings = web_settings(request)
    token = request.cookies.get(COOKIE, "")
    found = await run_in_threadpool(_lookup, services, token, settings) if token else None
    if found is None:
        if token:  # an expired or ended session (a missing one is just a visitor)
            await run_in_threadpool(record_refusal, services, request, None, "unauthenticated")
        raise SignInRequired
    user = WebUser(found, Caller(principal=found.principal, client=client_address(request)))
    request.state.web_user = user
    return user


SignedInDep = Annotated[WebUser, Depends(signed_in)]


def _same_origin(request: Request) -> bool:
    """Whether the browser says the request came from this site. Sec-Fetch-Site is set by
    the browser itself (a page cannot forge it); without it, the Origin header decides; a
    client that sends neither has only its CSRF token to show."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True
    parts = urlsplit(origin)
    return (parts.scheme, parts.netloc) == (request.url.scheme, request.url.netloc)


def socket_from_this_site(connection: HTTPConnection) -> bool:
    """Whether a WebSocket handshake came from a page of this site (cross-site WebSocket
    hijacking: the session cookie would go with a handshake another site's page starts).
    Browsers send Origin on every handshake and a page cannot change it; only the web app's
    recorder uses the socket, so a handshake without Origin is refused."""
    site = connection.headers.get("sec-fetch-site")
    origin = connection.headers.get("origin")
    if origin is None or (site is not None and site != "same-origin"):
        return False
    parts, url = urlsplit(origin), connection.url
    return (parts.scheme, parts.netloc) == (SOCKET_SCHEMES.get(url.scheme, ""), url.netloc)


def socket_user(
    services: Services, connection: HTTPConnection, settings: WebSettings
) -> WebUser | None:
    """The signed-in user behind a WebSocket handshake's session cookie, or None (blocks:
    run it in a thread)."""
    token = connection.cookies.get(COOKIE, "")
    found = _lookup(services, token, settings) if token else None
    if found is None:
        return None
    client = connection.client.host if connection.client else None
    return WebUser(found, Caller(principal=found.principal, client=client))


def tokens_match(given: str, expected: str) -> bool:
    """A CSRF token compared in constant time."""
    return secrets.compare_digest(given.encode(), expected.encode())


async def csrf_token_of(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


def allow(*roles: Role, write: bool = False) -> Callable[..., object]:
    """A dependency: the signed-in user if their role is one of ``roles`` (403 otherwise); for
    a write, the request must also carry the session's CSRF token and come from this site."""
    allowed = frozenset(roles)

    async def check(request: Request, user: SignedInDep, services: ServicesDep) -> WebUser:
        if write:
            given = await csrf_token_of(request)
            if not _same_origin(request) or not tokens_match(given, user.csrf_token):
                await run_in_threadpool(record_refusal, services, request, user.caller, "csrf")
                raise WebRefusal(
                    403,
                    "This form has expired or did not come from this site. "
                    "Reload the page and try again.",
                )
        if user.role not in allowed:
            await run_in_threadpool(record_refusal, services, request, user.caller, "denied")
            raise WebRefusal(403, "Your role does not give access to this page.")
        return user

    return check


def sign_in_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?next=" + quote(target, safe="/")


ANY = (Role.clinician, Role.reviewer, Role.admin)
Anyone = Annotated[WebUser, Depends(allow(*ANY))]
AnyoneWrites = Annotated[WebUser, Depends(allow(*ANY, write=True))]
Clinician = Annotated[WebUser, Depends(allow(Role.clinician))]
ClinicianWrites = Annotated[WebUser, Depends(allow(Role.clinician, write=True))]
Reader = Annotated[WebUser, Depends(allow(Role.clinician, Role.reviewer))]
Reviewer = Annotated[WebUser, Depends(allow(Role.reviewer))]
ReviewerWrites = Annotated[WebUser, Depends(allow(Role.reviewer, write=True))]
Admin = Annotated[WebUser, Depends(allow(Role.admin))]
AdminWrites = Annotated[WebUser, Depends(allow(Role.admin, write=True))]
