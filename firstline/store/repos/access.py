"""Users, roles, sessions, API tokens and login attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, func, insert, select, update

from firstline.store.tables import (
    api_tokens,
    login_attempts,
    role_permissions,
    roles,
    users,
    web_sessions,
)


def role_names(conn: Connection) -> list[str]:
    return [r[0] for r in conn.execute(select(roles.c.name).order_by(roles.c.name))]


def roles_with_permissions(conn: Connection) -> dict[str, tuple[str, frozenset[str]]]:
    out: dict[str, tuple[str, set[str]]] = {
        r.name: (r.description, set()) for r in conn.execute(select(roles))
    }
    for row in conn.execute(select(role_permissions)):
        out[row.role][1].add(row.permission)
    return {name: (d, frozenset(p)) for name, (d, p) in out.items()}


def permissions_of(conn: Connection, role: str) -> frozenset[str]:
    rows = conn.execute(
        select(role_permissions.c.permission).where(role_permissions.c.role == role)
    )
    return frozenset(r[0] for r in rows)


def add_user(conn: Connection, **values: Any) -> int:
    return int(conn.execute(insert(users).values(**values).returning(users.c.id)).scalar_one())


def user_by_name(conn: Connection, username: str) -> RowMapping | None:
    return conn.execute(select(users).where(users.c.username == username)).mappings().first()


def user_by_id(conn: Connection, user_id: int) -> RowMapping | None:
    return conn.execute(select(users).where(users.c.id == user_id)).mappings().first()


def list_users(conn: Connection) -> list[RowMapping]:
    return list(conn.execute(select(users).order_by(users.c.username)).mappings())


def update_user(conn: Connection, user_id: int, **values: Any) -> None:
    conn.execute(update(users).where(users.c.id == user_id).values(**values))


def add_session(conn: Connection, **values: Any) -> None:
    conn.execute(insert(web_sessions).values(**values))


def session_user(conn: Connection, token_hash: str, now: datetime) -> RowMapping | None:
    """The session and its active user, if the session exists and has not expired."""
    return (
        conn.execute(
            select(
                web_sessions.c.csrf_token,
                web_sessions.c.expires_at,
                users.c.id,
                users.c.username,
                users.c.display_name,
                users.c.role,
                users.c.port,
            )
            .join(users, users.c.id == web_sessions.c.user_id)
            .where(
                web_sessions.c.token_hash == token_hash,
                web_sessions.c.expires_at > now,
                users.c.active.is_(True),
            )
        )
        .mappings()
        .first()
    )


def touch_session(conn: Connection, token_hash: str, now: datetime, expires: datetime) -> None:
    conn.execute(
        update(web_sessions)
        .where(web_sessions.c.token_hash == token_hash)
        .values(last_seen_at=now, expires_at=expires)
    )


def end_session(conn: Connection, token_hash: str) -> None:
    conn.execute(delete(web_sessions).where(web_sessions.c.token_hash == token_hash))


def end_sessions_of(conn: Connection, user_id: int) -> None:
    conn.execute(delete(web_sessions).where(web_sessions.c.user_id == user_id))


def add_token(conn: Connection, **values: Any) -> int:
    return int(
        conn.execute(insert(api_tokens).values(**values).returning(api_tokens.c.id)).scalar_one()
    )


def token_user(conn: Connection, token_hash: str) -> RowMapping | None:
    return (
        conn.execute(
            select(
                api_tokens.c.id.label("token_id"),
                users.c.id,
                users.c.username,
                users.c.display_name,
                users.c.role,
                users.c.port,
            )
            .join(users, users.c.id == api_tokens.c.user_id)
            .where(
                api_tokens.c.token_hash == token_hash,
                api_tokens.c.revoked_at.is_(None),
                users.c.active.is_(True),
            )
        )
        .mappings()
        .first()
    )


def touch_token(conn: Connection, token_id: int, now: datetime) -> None:
    conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=now))


def list_tokens(conn: Connection) -> list[RowMapping]:
    return list(
        conn.execute(
            select(
                api_tokens.c.id,
                api_tokens.c.name,
                api_tokens.c.created_at,
                api_tokens.c.last_used_at,
                api_tokens.c.revoked_at,
                users.c.username,
            )
            .join(users, users.c.id == api_tokens.c.user_id)
            .order_by(api_tokens.c.id)
        ).mappings()
    )


def revoke_token(conn: Connection, token_id: int, now: datetime) -> bool:
    result = conn.execute(
        update(api_tokens)
        .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return bool(result.rowcount)


def record_attempt(
    conn: Connection, username: str, client: str | None, success: bool, now: datetime
) -> None:
    conn.execute(
        insert(login_attempts).values(username=username, client=client, success=success, at=now)
    )


def failures_since(
    conn: Connection, *, username: str | None = None, client: str | None = None, since: datetime
) -> int:
    """Failed logins since `since`, for one account or one client address; a success of the
    account resets its count."""
    query = select(func.count()).where(
        login_attempts.c.success.is_(False), login_attempts.c.at >= since
    )
    if username is not None:
        last_ok = conn.execute(
            select(func.max(login_attempts.c.at)).where(
                login_attempts.c.username == username, login_attempts.c.success.is_(True)
            )
        ).scalar()
        query = query.where(login_attempts.c.username == username)
        if last_ok is not None:
            query = query.where(login_attempts.c.at > last_ok)
    if client is not None:
        query = query.where(login_attempts.c.client == client)
    return int(conn.execute(query).scalar_one())


def roles_holding(conn: Connection, permission: str) -> list[str]:
    """Roles that carry `permission`, by name."""
    rows = conn.execute(
        select(role_permissions.c.role)
        .where(role_permissions.c.permission == permission)
        .order_by(role_permissions.c.role)
    )
    return [r[0] for r in rows]


def active_users_of(conn: Connection, roles_: list[str]) -> int:
    """Active accounts holding one of `roles_`."""
    if not roles_:
        return 0
    query = select(func.count()).where(users.c.role.in_(roles_), users.c.active.is_(True))
    return int(conn.execute(query).scalar_one())


def set_role_permissions(conn: Connection, role: str, permissions: frozenset[str]) -> None:
    """Replace what `role` may do."""
    conn.execute(delete(role_permissions).where(role_permissions.c.role == role))
    if permissions:
        conn.execute(
            insert(role_permissions),
            [{"role": role, "permission": p} for p in sorted(permissions)],
        )
