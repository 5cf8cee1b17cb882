"""Single sign-on: /login/oidc sends the browser to the agency's OpenID provider, and the
callback finishes the login with the same session cookie as the password form.

What the provider's answer is checked against (state, nonce, PKCE verifier) stays on the
server, in `PendingLogins`, under a random id; the browser holds only that id, in an HttpOnly
cookie limited to /login/oidc. The cookie is SameSite=Lax, not Strict like the others: the
provider's redirect back is a cross-site navigation, on which a Strict cookie is not sent.
"""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from firstline.exc import FirstlineError, NotFoundError
from firstline.services import audit, oidc
from firstline.services.oidc import OidcConfig, PendingLogins
from firstline.settings import Settings
from firstline.web.deps import SettingsDep, StoreDep, client_of
from firstline.web.routes.auth import login_page, safe_next, secure_cookies, set_session_cookie

router = APIRouter(include_in_schema=False)

PENDING_COOKIE = "firstline_oidc"
COOKIE_PATH = "/login/oidc"


def get_pending_logins(request: Request) -> PendingLogins:
    logins: PendingLogins = request.app.state.oidc_logins
    return logins


PendingDep = Annotated[PendingLogins, Depends(get_pending_logins)]


def _config(settings: Settings) -> OidcConfig:
    if not settings.oidc_enabled:
        raise NotFoundError("single sign-on is not set up on this server")
    return OidcConfig.from_settings(settings)


@router.get("/login/oidc")
def start(
    request: Request, settings: SettingsDep, logins: PendingDep, next: str | None = None
) -> Response:
    config = _config(settings)
    try:
        pending, url = oidc.start(config, safe_next(next))
    except FirstlineError as exc:  # the provider is unreachable: say so on the login page
        return login_page(request, settings, next, error=str(exc), status_code=exc.http_status)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        PENDING_COOKIE, logins.put(pending), httponly=True, samesite="lax",
        secure=secure_cookies(request, settings), max_age=oidc.PENDING_SECONDS, path=COOKIE_PATH,
    )  # fmt: skip
    return response


@router.get("/login/oidc/callback")
def callback(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    logins: PendingDep,
    state: str = "",
    code: str = "",
    error: str = "",
) -> Response:
    config = _config(settings)
    client = client_of(request)
    try:
        pending = logins.take(request.cookies.get(PENDING_COOKIE))
        session = oidc.finish(
            store, config, pending, state=state, code=code, error=error, client=client
        )
    except FirstlineError as exc:
        refused = login_page(request, settings, None, error=str(exc), status_code=exc.http_status)
        refused.delete_cookie(PENDING_COOKIE, path=COOKIE_PATH)
        return refused
    audit.log(store, session.actor, "login", detail={"method": "oidc"}, client=client)
    done = _continue_to(pending.next)
    set_session_cookie(done, request, settings, session)
    done.delete_cookie(PENDING_COOKIE, path=COOKIE_PATH)
    return done


def _continue_to(target: str) -> HTMLResponse:
    """A page that moves on by itself rather than a redirect: a redirect would continue the
    provider's cross-site navigation, on which browsers withhold the Strict session cookie,
    so the next page would ask to log in again. A navigation this page starts is same-site."""
    href = html.escape(target, quote=True)
    return HTMLResponse(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={href}"><title>Logged in</title></head>'
        f'<body><p>Logged in. <a href="{href}">Continue</a></p></body></html>'
    )
