"""The web application: `create_app(settings)` wires the store, routes and error pages.

Routes are thin and synchronous (FastAPI runs them in its thread pool): they check who is
asking, call a service, and render a page or return JSON. Errors raised on purpose are
`FirstlineError`s, mapped to a status here and nowhere else.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from firstline import __version__
from firstline.exc import FirstlineError
from firstline.services.access import AuthenticationError
from firstline.services.oidc import PendingLogins
from firstline.settings import Settings, get_settings
from firstline.store import Store, open_store
from firstline.web.language import LanguageMiddleware
from firstline.web.render import page
from firstline.web.routes import (
    admin,
    audit,
    auth,
    dashboard,
    docs,
    flights,
    hits,
    language,
    lookout,
    lookups,
    oidc,
    reports,
    rules,
    travellers,
    watchlists,
)

STATIC = Path(__file__).parent / "static"

# Everything the pages load comes from this server: no CDN, fonts or scripts from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if not request.url.path.startswith("/static/"):
            # Pages show personal data: no copy in shared or browser caches.
            response.headers["Cache-Control"] = "no-store"
        return response


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="firstline",
        version=__version__,
        description=(
            "Border-security targeting: flights, travellers, hits, reviews, the port lookout "
            "and the audit trail. Authenticate with `Authorization: Bearer <API token>` "
            "(created with `firstline users token`)."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.store = store or open_store(settings.resolved_database_url())
    app.state.oidc_logins = PendingLogins()  # single sign-on logins under way
    app.add_middleware(SecurityHeaders)
    app.add_middleware(LanguageMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        auth, oidc, flights, travellers, hits, lookout, audit, rules, lookups, watchlists,
        dashboard, admin, reports, language, docs,
    ):  # fmt: skip
        app.include_router(module.router)
    app.add_exception_handler(FirstlineError, _on_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _on_invalid)  # type: ignore[arg-type]
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


async def _on_error(request: Request, exc: FirstlineError) -> Response:
    if _wants_json(request):
        return JSONResponse(
            {"error": exc.code, "message": str(exc)},
            status_code=exc.http_status,
            headers={"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None,
        )
    if isinstance(exc, AuthenticationError) and request.method == "GET":
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)
    return _error_page(request, exc.http_status, str(exc))


async def _on_invalid(request: Request, exc: RequestValidationError) -> Response:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
    )
    if _wants_json(request):
        return JSONResponse({"error": "invalid_request", "message": problems}, status_code=422)
    return _error_page(request, 422, problems)


def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return page(request, "error.html", {"status": status, "message": message}, status_code=status)
