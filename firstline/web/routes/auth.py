"""Log in and out. The login form is protected by a double-submit token (there is no session
yet to hold one); the session cookie is HttpOnly, SameSite=Strict, and Secure outside
development or over HTTPS."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from firstline.cases.access import Actor, Permission
from firstline.exc import FirstlineError
from firstline.services import access, audit
from firstline.settings import Settings
from firstline.web.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    ActorDep,
    CsrfError,
    SettingsDep,
    StoreDep,
    client_of,
)
from firstline.web.render import page

router = APIRouter(include_in_schema=False)


def secure_cookies(request: Request, settings: Settings) -> bool:
    return settings.environment != "development" or request.url.scheme == "https"


def safe_next(target: str | None) -> str:
    # Only paths on this site: an open redirect would help phishing.
    # Browsers read "/\host" as "//host", and drop tabs and newlines from URLs.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not any(c in target for c in "\\\t\r\n")
    ):
        return target
    return "/"


def login_page(
    request: Request,
    settings: Settings,
    next: str | None,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    """The login form with a fresh double-submit token (and the single sign-on button when
    the agency has a provider)."""
    token = secrets.token_urlsafe(24)
    context = {
        "login_csrf": token,
        "next": safe_next(next),
        "error": error,
        "oidc_label": settings.oidc_label if settings.oidc_enabled else None,
    }
    response = page(request, "login.html", context, status_code=status_code)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
        secure=secure_cookies(request, settings), max_age=3600,
    )  # fmt: skip
    return response


def set_session_cookie(
    response: Response, request: Request, settings: Settings, session: access.Session
) -> None:
    response.set_cookie(
        SESSION_COOKIE, session.token, httponly=True, samesite="strict",
        secure=secure_cookies(request, settings), max_age=access.SESSION_HOURS * 3600,
    )  # fmt: skip


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, settings: SettingsDep, next: str | None = None) -> Response:
    return login_page(request, settings, next)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    try:
        if not expected or not hmac.compare_digest(expected, csrf_token):
            raise CsrfError("the login form has expired: please try again")
        session = access.login(store, username, password, client=client_of(request))
    except FirstlineError as exc:
        return login_page(request, settings, next, error=str(exc), status_code=exc.http_status)
    audit.log(store, session.actor, "login", client=client_of(request))
    done = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(done, request, settings, session)
    done.delete_cookie(LOGIN_CSRF_COOKIE)
    return done


@router.post("/logout")
def logout(request: Request, store: StoreDep, actor: ActorDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        access.logout(store, token)
    audit.log(store, actor, "logout", client=client_of(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(actor: ActorDep) -> Response:
    return RedirectResponse(_landing(actor), status_code=303)


def _landing(actor: Actor) -> str:
    """Each role starts where its work is."""
    if actor.can(Permission.VIEW_HITS):
        return "/hits"
    if actor.can(Permission.VIEW_LOOKOUT):
        return "/lookout"
    if actor.can(Permission.VIEW_AUDIT):
        return "/audit"
    return "/flights"
