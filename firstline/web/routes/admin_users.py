"""Accounts, roles and API tokens (administrators: `users:manage`). Every change audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from firstline.cases.access import Actor, Permission
from firstline.exc import FirstlineError
from firstline.services import accounts
from firstline.web.deps import StoreDep, client_of, needs
from firstline.web.i18n import gettext
from firstline.web.labels import label
from firstline.web.render import page
from firstline.web.routes.admin_kit import back

router = APIRouter()
Manager = Annotated[Actor, Depends(needs(Permission.MANAGE_USERS))]
PERMISSIONS = [p.value for p in Permission]


def _users_page(
    request: Request, store: StoreDep, actor: Actor, *, token: str = "", status: int = 200
) -> HTMLResponse:
    context = {
        "users": accounts.users(store, actor),
        "roles": [r["name"] for r in accounts.roles(store, actor)],
        "tokens": accounts.tokens(store, actor),
        "new_token": token,
        "done": request.query_params.get("done", ""),
        "error": request.query_params.get("error", ""),
    }
    return page(request, "admin/users.html", context, status_code=status)


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, store: StoreDep, actor: Manager) -> HTMLResponse:
    return _users_page(request, store, actor)


@router.post("/admin/users", include_in_schema=False)
def add_user_form(
    request: Request,
    store: StoreDep,
    actor: Manager,
    username: Annotated[str, Form()],
    role: Annotated[str, Form()],
    password: Annotated[str, Form()],
    display_name: Annotated[str, Form()] = "",
    port: Annotated[str, Form()] = "",
) -> Response:
    try:
        accounts.add_user(
            store, actor, username, role=role, password=password,
            display_name=display_name or None, port=port or None, client=client_of(request),
        )  # fmt: skip
    except FirstlineError as exc:
        return back("/admin/users", error=str(exc))
    return back("/admin/users", done=gettext("user %(name)s created") % {"name": username})


@router.post("/admin/users/{username}/active", include_in_schema=False)
def active_form(
    request: Request,
    store: StoreDep,
    actor: Manager,
    username: str,
    active: Annotated[bool, Form()],
) -> Response:
    try:
        accounts.set_active(store, actor, username, active, client=client_of(request))
    except FirstlineError as exc:
        return back("/admin/users", error=str(exc))
    said = gettext("%(name)s enabled") if active else gettext("%(name)s disabled")
    return back("/admin/users", done=said % {"name": username})


@router.post("/admin/users/{username}/password", include_in_schema=False)
def password_form(
    request: Request,
    store: StoreDep,
    actor: Manager,
    username: str,
    password: Annotated[str, Form()],
) -> Response:
    try:
        accounts.reset_password(store, actor, username, password, client=client_of(request))
    except FirstlineError as exc:
        return back("/admin/users", error=str(exc))
    return back("/admin/users", done=gettext("password of %(name)s reset") % {"name": username})


@router.post("/admin/tokens", response_class=HTMLResponse, include_in_schema=False)
def add_token_form(
    request: Request,
    store: StoreDep,
    actor: Manager,
    username: Annotated[str, Form()],
    name: Annotated[str, Form()],
) -> Response:
    """The token is on this page once, never again: not a redirect."""
    try:
        token = accounts.add_token(store, actor, username, name, client=client_of(request))
    except FirstlineError as exc:
        return back("/admin/users", error=str(exc))
    return _users_page(request, store, actor, token=token)


@router.post("/admin/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_form(request: Request, store: StoreDep, actor: Manager, token_id: int) -> Response:
    try:
        accounts.revoke_token(store, actor, token_id, client=client_of(request))
    except FirstlineError as exc:
        return back("/admin/users", error=str(exc))
    return back("/admin/users", done=gettext("token %(id)s revoked") % {"id": token_id})


@router.get("/admin/roles", response_class=HTMLResponse, include_in_schema=False)
def roles_page(request: Request, store: StoreDep, actor: Manager) -> HTMLResponse:
    context = {
        "roles": accounts.roles(store, actor),
        "permissions": PERMISSIONS,
        "done": request.query_params.get("done", ""),
        "error": request.query_params.get("error", ""),
    }
    return page(request, "admin/roles.html", context)


@router.post("/admin/roles/{role}", include_in_schema=False)
def role_form(
    request: Request,
    store: StoreDep,
    actor: Manager,
    role: str,
    permissions: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI form default
) -> Response:
    try:
        accounts.set_role_permissions(store, actor, role, permissions, client=client_of(request))
    except FirstlineError as exc:
        return back("/admin/roles", error=str(exc))
    return back(
        "/admin/roles", done=gettext("permissions of %(role)s saved") % {"role": label(role)}
    )


# -- JSON API ---------------------------------------------------------------------------------


class UserIn(BaseModel):
    username: str = Field(examples=["jdoe"])
    role: str = Field(examples=["analyst"])
    password: str = Field(min_length=10, description="at least 10 characters")
    display_name: str | None = None
    port: str | None = Field(default=None, description="a port officer's airport (IATA)")


class UserChange(BaseModel):
    active: bool | None = Field(default=None, description="false disables and ends sessions")
    password: str | None = Field(default=None, min_length=10, description="a new password")


@router.get("/api/v1/admin/users", tags=["admin"])
def users_json(store: StoreDep, actor: Manager) -> list[dict[str, object]]:
    """Every account: name, role, port, active, last login (never a password hash)."""
    return accounts.users(store, actor)


@router.post("/api/v1/admin/users", tags=["admin"], status_code=201)
def add_user_json(
    request: Request, store: StoreDep, actor: Manager, user: UserIn
) -> dict[str, Any]:
    """Create an account. Audited."""
    user_id = accounts.add_user(
        store, actor, user.username, role=user.role, password=user.password,
        display_name=user.display_name, port=user.port, client=client_of(request),
    )  # fmt: skip
    return {"id": user_id, "username": user.username.strip().lower()}


@router.patch("/api/v1/admin/users/{username}", tags=["admin"])
def change_user_json(
    request: Request, store: StoreDep, actor: Manager, username: str, change: UserChange
) -> dict[str, Any]:
    """Disable or enable an account, or reset its password (both end its sessions). Audited."""
    if change.password is not None:
        accounts.reset_password(store, actor, username, change.password, client=client_of(request))
    if change.active is not None:
        accounts.set_active(store, actor, username, change.active, client=client_of(request))
    return {
        "username": username,
        "changed": change.model_dump(exclude_none=True, exclude={"password"}),
    }


class RoleIn(BaseModel):
    permissions: list[str] = Field(description="every permission the role carries")


@router.get("/api/v1/admin/roles", tags=["admin"])
def roles_json(store: StoreDep, actor: Manager) -> list[dict[str, Any]]:
    """Every role with its permissions."""
    return accounts.roles(store, actor)


@router.put("/api/v1/admin/roles/{role}", tags=["admin"])
def set_role_json(
    request: Request, store: StoreDep, actor: Manager, role: str, body: RoleIn
) -> dict[str, Any]:
    """Replace a role's permissions. Refused (422) when no role or active account would keep
    `users:manage`. Audited."""
    found = accounts.set_role_permissions(
        store, actor, role, body.permissions, client=client_of(request)
    )
    return {"name": role, "permissions": found}


class TokenIn(BaseModel):
    username: str = Field(description="the account the token acts as")
    name: str = Field(description="the system that will use it")


@router.get("/api/v1/admin/tokens", tags=["admin"])
def tokens_json(store: StoreDep, actor: Manager) -> list[dict[str, object]]:
    """API tokens (never their value): name, account, created, last used, revoked."""
    return accounts.tokens(store, actor)


@router.post("/api/v1/admin/tokens", tags=["admin"], status_code=201)
def add_token_json(
    request: Request, store: StoreDep, actor: Manager, body: TokenIn
) -> dict[str, str]:
    """A new API token, returned once: firstline keeps only its digest. Audited."""
    token = accounts.add_token(store, actor, body.username, body.name, client=client_of(request))
    return {"token": token}


@router.delete("/api/v1/admin/tokens/{token_id}", tags=["admin"])
def revoke_json(request: Request, store: StoreDep, actor: Manager, token_id: int) -> dict[str, int]:
    """Revoke an API token at once. Audited."""
    accounts.revoke_token(store, actor, token_id, client=client_of(request))
    return {"revoked": token_id}
