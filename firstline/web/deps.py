"""Request dependencies: the store, who is asking, CSRF, permissions.

Who is asking comes from a bearer API token (systems) or the session cookie (people). A
session's unsafe requests must carry its CSRF token (form field `csrf_token` or header
`X-CSRF-Token`); bearer requests carry no ambient credential and need none.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from firstline.cases.access import Actor, Permission
from firstline.exc import FirstlineError
from firstline.services import access
from firstline.settings import Settings
from firstline.store import Store

SESSION_COOKIE = "firstline_session"
LOGIN_CSRF_COOKIE = "firstline_login_csrf"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CsrfError(FirstlineError):
    """A form or request from a session without the session's CSRF token."""

    code = "csrf_failed"
    http_status = 403


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def client_of(request: Request) -> str | None:
    return request.client.host if request.client else None


async def current_actor(request: Request) -> Actor:
    store = get_store(request)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        actor = access.token_actor(store, header[7:].strip())
        request.state.actor = actor
        request.state.csrf_token = ""
        return actor
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise access.AuthenticationError("log in to continue")
    actor, csrf = access.session(store, token)
    request.state.actor = actor
    request.state.csrf_token = csrf
    if request.method in UNSAFE:
        sent = request.headers.get("x-csrf-token")
        if sent is None and "form" in request.headers.get("content-type", ""):
            form = await request.form()  # parsed once; FastAPI reuses it for Form() fields
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
        if not sent or not hmac.compare_digest(sent, csrf):
            raise CsrfError("the form has expired or did not come from firstline: reload it")
    return actor


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ActorDep = Annotated[Actor, Depends(current_actor)]


def needs(permission: Permission) -> Callable[..., Actor]:
    """A dependency giving the actor when their role carries `permission`."""

    def check(actor: ActorDep) -> Actor:
        access.require(actor, permission.value)
        return actor

    check.__name__ = f"needs_{permission.name.lower()}"
    return check
