"""Administration of accounts, roles and API tokens, as an administrator does it: each change
checked against the actor's permission and written to the audit trail.

The account primitives (hashing, sessions, tokens) are in `services/access.py`, which the
command line also uses; this module adds who did it and why it is allowed.
"""

from __future__ import annotations

from typing import Any

from firstline.cases.access import Actor, Permission
from firstline.exc import InvalidRequestError, NotFoundError
from firstline.services import access, audit
from firstline.store import Store
from firstline.store.repos import access as repo

ALL_PERMISSIONS = tuple(p.value for p in Permission)


def users(store: Store, actor: Actor) -> list[dict[str, object]]:
    access.require(actor, Permission.MANAGE_USERS)
    return access.users(store)


def add_user(
    store: Store,
    actor: Actor,
    username: str,
    *,
    role: str,
    password: str,
    display_name: str | None = None,
    port: str | None = None,
    client: str | None = None,
) -> int:
    access.require(actor, Permission.MANAGE_USERS)
    user_id = access.add_user(
        store, username, role=role, password=password, display_name=display_name, port=port
    )
    audit.log(
        store, actor, "add_user", object_type="user", object_id=username.strip().lower(),
        detail={"role": role, "port": port or None}, client=client,
    )  # fmt: skip
    return user_id


def set_active(
    store: Store, actor: Actor, username: str, active: bool, *, client: str | None = None
) -> None:
    access.require(actor, Permission.MANAGE_USERS)
    if not active and username.strip().lower() == actor.username:
        raise InvalidRequestError("you cannot disable your own account")
    access.set_active(store, username, active)
    action = "enable_user" if active else "disable_user"
    audit.log(store, actor, action, object_type="user", object_id=username, client=client)


def reset_password(
    store: Store, actor: Actor, username: str, password: str, *, client: str | None = None
) -> None:
    """A new password for `username`; their open sessions end."""
    access.require(actor, Permission.MANAGE_USERS)
    access.set_password(store, username, password)
    audit.log(store, actor, "reset_password", object_type="user", object_id=username, client=client)


def roles(store: Store, actor: Actor) -> list[dict[str, Any]]:
    """Every role with its description and permissions, by name."""
    access.require(actor, Permission.MANAGE_USERS)
    with store.connect() as conn:
        found = repo.roles_with_permissions(conn)
    return [
        {"name": name, "description": description, "permissions": sorted(permissions)}
        for name, (description, permissions) in sorted(found.items())
    ]


def set_role_permissions(
    store: Store,
    actor: Actor,
    role: str,
    permissions: list[str],
    *,
    client: str | None = None,
) -> list[str]:
    """Replace what `role` may do. Refused when no role, or no active account, would keep
    `users:manage`: nobody could repair it from the web any more."""
    access.require(actor, Permission.MANAGE_USERS)
    wanted = frozenset(permissions)
    unknown = sorted(wanted - set(ALL_PERMISSIONS))
    if unknown:
        raise InvalidRequestError(f"unknown permission {unknown[0]!r}")
    manage = Permission.MANAGE_USERS.value
    with store.begin() as conn:
        known = repo.roles_with_permissions(conn)
        if role not in known:
            raise NotFoundError(f"no role {role!r}")
        before = known[role][1]
        if manage in before and manage not in wanted:
            keepers = [r for r in repo.roles_holding(conn, manage) if r != role]
            if not keepers:
                raise InvalidRequestError(
                    f"{role} is the last role that may manage users: give {manage} to another "
                    "role first, or nobody could change accounts and roles any more"
                )
            if repo.active_users_of(conn, keepers) == 0:
                raise InvalidRequestError(
                    f"no active account holds {', '.join(keepers)}: removing {manage} from "
                    f"{role} would leave nobody able to manage users"
                )
        repo.set_role_permissions(conn, role, wanted)
        audit.record(
            conn, actor, "change_role", object_type="role", object_id=role,
            detail={"added": sorted(wanted - before), "removed": sorted(before - wanted)},
            client=client,
        )  # fmt: skip
    return sorted(wanted)


def tokens(store: Store, actor: Actor) -> list[dict[str, object]]:
    access.require(actor, Permission.MANAGE_USERS)
    return access.tokens(store)


def add_token(
    store: Store, actor: Actor, username: str, name: str, *, client: str | None = None
) -> str:
    """A new API token for `username`, returned once (never stored in clear)."""
    access.require(actor, Permission.MANAGE_USERS)
    if not name.strip():
        raise InvalidRequestError("name the token after the system that will use it")
    token = access.add_token(store, username, name.strip())
    audit.log(
        store, actor, "add_token", object_type="user", object_id=username,
        detail={"name": name.strip()}, client=client,
    )  # fmt: skip
    return token


def revoke_token(store: Store, actor: Actor, token_id: int, *, client: str | None = None) -> None:
    access.require(actor, Permission.MANAGE_USERS)
    access.revoke_token(store, token_id)
    audit.log(
        store, actor, "revoke_token", object_type="api_token", object_id=token_id, client=client
    )
