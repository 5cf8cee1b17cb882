"""The language of each request: the officer's choice (the `firstline_lang` cookie set by the
switcher in the page header), else the browser's Accept-Language, else English.

A pure ASGI middleware, so the choice is in the request's context (`i18n.current()`) before
any route, dependency or error page runs.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from firstline.web import i18n

COOKIE = "firstline_lang"


def from_accept_language(header: str | None) -> str | None:
    """The best of our languages in an Accept-Language header ("fr-CA,fr;q=0.9,en;q=0.8"),
    by quality then order; None when it names none of them."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in i18n.LANGUAGES and quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


def choose(cookie: str | None, accept_language: str | None) -> str:
    if cookie in i18n.LANGUAGES:
        return cookie
    return from_accept_language(accept_language) or i18n.DEFAULT


class LanguageMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = HTTPConnection(scope)
            i18n.activate(
                choose(request.cookies.get(COOKIE), request.headers.get("accept-language"))
            )
        await self.app(scope, receive, send)
