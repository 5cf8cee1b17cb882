"""What the administration pages share: redirects that carry a result, and permission checks
that accept any of several permissions."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from fastapi.responses import RedirectResponse

from firstline.cases.access import Actor, Permission
from firstline.exc import PermissionDeniedError
from firstline.web.deps import ActorDep


def back(path: str, *, done: str = "", error: str = "") -> RedirectResponse:
    """Back to a page after a form, with what happened (shown as a flash)."""
    query = urlencode({k: v for k, v in {"done": done, "error": error}.items() if v})
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)


def needs_any(*permissions: Permission) -> Callable[..., Actor]:
    """A dependency giving the actor when their role carries one of `permissions`."""

    def check(actor: ActorDep) -> Actor:
        if not any(actor.can(p) for p in permissions):
            wanted = " or ".join(p.value for p in permissions)
            raise PermissionDeniedError(f"the {actor.role} role does not allow this ({wanted})")
        return actor

    check.__name__ = "needs_any_" + "_".join(p.name.lower() for p in permissions)
    return check
