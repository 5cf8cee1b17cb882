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


def _secure(request: Request, settings: SettingsDep) -> bool:
    return settings.environment != "development" or request.url.scheme == "https"


def _safe_next(target: str | None) -> str:
    # Only paths on this site: an open redirect would help phishing.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, settings: SettingsDep, next: str | None = None) -> Response:
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", {"login_csrf": token, "next": _safe_next(next)})
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
        secure=_secure(request, settings), max_age=3600,
    )  # fmt: skip
    return response


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
        token = secrets.token_urlsafe(24)
        response = page(
            request,
            "login.html",
            {"login_csrf": token, "next": _safe_next(next), "error": str(exc)},
            status_code=exc.http_status,
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
            secure=_secure(request, settings), max_age=3600,
        )  # fmt: skip
        return response
    audit.log(store, session.actor, "login", client=client_of(request))
    done = RedirectResponse(_safe_next(next), status_code=303)
    done.set_cookie(
        SESSION_COOKIE, session.token, httponly=True, samesite="strict",
        secure=_secure(request, settings), max_age=access.SESSION_HOURS * 3600,
    )  # fmt: skip
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
