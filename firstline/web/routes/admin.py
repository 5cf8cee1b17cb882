"""Running the unit (issue 9): the administration pages and their `/api/v1/admin` JSON.

`/admin` lists the sections the actor may open; each section is its own module:
accounts, roles and tokens (`admin_users`), quarantine (`admin_quarantine`), message
delivery, settings and data retention (`admin_running`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from firstline.cases.access import Actor, Permission
from firstline.web.render import page
from firstline.web.routes import admin_quarantine, admin_running, admin_users
from firstline.web.routes.admin_kit import needs_any

router = APIRouter()
Admin = Annotated[
    Actor,
    Depends(
        needs_any(
            Permission.MANAGE_USERS,
            Permission.VIEW_QUARANTINE,
            Permission.VIEW_DELIVERY,
            Permission.MANAGE_SETTINGS,
        )
    ),
]


@router.get("/admin", response_class=HTMLResponse, include_in_schema=False)
def index(request: Request, actor: Admin) -> HTMLResponse:
    return page(request, "admin/index.html", {})


for module in (admin_users, admin_quarantine, admin_running):
    router.include_router(module.router)
