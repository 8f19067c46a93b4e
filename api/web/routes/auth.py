"""Sign-in, sign-out and the home page (which sends each role to its own start page)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import Response

from api.audit import Anonymous, Caller, record
from api.deps import Services, ServicesDep, client_address
from api.keys import Role
from api.web.accounts import SignInError, end_session, sign_in
from api.web.render import page, see_other
from api.web.security import (
    LOGIN_COOKIE,
    AnyoneWrites,
    SignInRequired,
    WebUser,
    clear_session_cookie,
    secure_cookie,
    set_session_cookie,
    signed_in,
    web_settings,
)
from api.web.settings import WebSettings

router = APIRouter(include_in_schema=False)
START = {Role.clinician: "/encounters", Role.reviewer: "/queue", Role.admin: "/admin/users"}
WRONG = "The username or password is wrong, or the account cannot sign in now."


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never another site's address) is followed after sign-in."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


async def _maybe_user(request: Request, services: ServicesDep) -> WebUser | None:
    try:
        return await signed_in(request, services)
    except SignInRequired:
        return None


@router.get("/", name="web.home")
async def home(request: Request, services: ServicesDep) -> Response:
    user = await _maybe_user(request, services)
    if user is None:
        return see_other("/login")
    return see_other(START[user.role])


def _login_form(request: Request, status: int = 200, error: str | None = None) -> Response:
    token = secrets.token_urlsafe(32)
    response = page(
        request,
        "login.html",
        status,
        login_token=token,
        error=error,
        next=_safe_next(request.query_params.get("next")),
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=1800,
        path="/login",
        httponly=True,
        samesite="strict",
        secure=secure_cookie(request, web_settings(request)),
    )
    return response


@router.get("/login", name="web.sign_in_form")
async def login_form(request: Request) -> Response:
    return _login_form(request)


def _sign_in(
    services: Services, settings: WebSettings, username: str, password: str, client: str | None
) -> tuple[str, Caller] | str:
    """(cookie secret, caller), or the refusal's audit reason."""
    with services.sessions() as session:
        try:
            token, signed = sign_in(session, username, password, settings)
        except SignInError as refused:
            session.commit()  # failed attempts are counted
            record(
                session,
                Anonymous(client),
                "web.sign_in",
                outcome="unauthenticated",
                detail=refused.reason,
            )
            session.commit()
            return refused.reason
        caller = Caller(principal=signed.principal, client=client)
        record(session, caller, "web.sign_in")
        session.commit()
        return token, caller


@router.post("/login", name="web.sign_in")
async def login(request: Request, services: ServicesDep) -> Response:
    form = await request.form()
    given = form.get("login_token")
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if (
        not isinstance(given, str)
        or not expected
        or not secrets.compare_digest(given.encode(), expected.encode())
    ):
        return _login_form(request, 403, "The sign-in form expired. Please try again.")
    username, password = form.get("username"), form.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username:
        return _login_form(request, 400, WRONG)
    settings = web_settings(request)
    outcome = await run_in_threadpool(
        _sign_in, services, settings, username, password, client_address(request)
    )
    if isinstance(outcome, str):
        return _login_form(request, 401, WRONG)
    token, _ = outcome
    target = form.get("next")
    response = see_other(_safe_next(target if isinstance(target, str) else None))
    set_session_cookie(response, request, token, settings)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


def _sign_out(services: Services, user: WebUser) -> None:
    with services.sessions() as session:
        end_session(session, user.signed_in.session_id)
        record(session, user.caller, "web.sign_out")
        session.commit()


@router.post("/logout", name="web.sign_out")
async def logout(request: Request, user: AnyoneWrites, services: ServicesDep) -> Response:
    await run_in_threadpool(_sign_out, services, user)
    response = see_other("/login?m=signed-out")
    clear_session_cookie(response, request, web_settings(request))
    return response
