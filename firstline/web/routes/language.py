"""The language switcher: `GET /language/{code}?next=/hits` remembers the choice in a cookie
and goes back to the page (on this site only)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from firstline.exc import NotFoundError
from firstline.web import i18n
from firstline.web.deps import SettingsDep
from firstline.web.language import COOKIE
from firstline.web.routes.auth import safe_next, secure_cookies

router = APIRouter()
ONE_YEAR = 365 * 24 * 3600


@router.get("/language/{code}", include_in_schema=False)
def choose_language(
    request: Request, settings: SettingsDep, code: str, next: str = "/"
) -> RedirectResponse:
    if code not in i18n.LANGUAGES:
        raise NotFoundError(f"no language {code}")
    done = RedirectResponse(safe_next(next), status_code=303)
    done.set_cookie(
        COOKIE, code, max_age=ONE_YEAR, httponly=True, samesite="lax",
        secure=secure_cookies(request, settings),
    )  # fmt: skip
    return done
