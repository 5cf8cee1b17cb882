"""Recording and reading the audit trail.

What is recorded: every view of a traveller's personal data, every search (its terms are
personal data too, so they are stored in the trail, which only auditors read), every export
and every decision. Nothing here updates or deletes an event.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from firstline.cases.access import Actor, Permission
from firstline.services.access import require
from firstline.store import Store
from firstline.store.repos import audit as repo


def record(
    conn: Connection,
    actor: Actor,
    action: str,
    *,
    object_type: str | None = None,
    object_id: object = None,
    detail: dict[str, Any] | None = None,
    reason: str | None = None,
    client: str | None = None,
) -> None:
    """Add one event inside the caller's transaction, so an action and its trace commit
    together or not at all."""
    repo.record(
        conn,
        at=datetime.now(UTC),
        user_id=actor.user_id,
        actor=actor.username,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        detail=detail,
        reason=reason,
        client=client,
    )


def log(store: Store, actor: Actor, action: str, **kwargs: Any) -> None:
    with store.begin() as conn:
        record(conn, actor, action, **kwargs)


def trail(
    store: Store,
    actor: Actor,
    *,
    limit: int = 200,
    offset: int = 0,
    client: str | None = None,
    user: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Events for an auditor, newest first; reading the trail is itself recorded."""
    require(actor, Permission.VIEW_AUDIT)
    filters = {"user": user, "action": action, "object_type": object_type, "object_id": object_id}
    with store.begin() as conn:
        rows, total = repo.events(
            conn, limit=limit, offset=offset, actor=user, action=action,
            object_type=object_type, object_id=object_id,
        )  # fmt: skip
        record(
            conn,
            actor,
            "view_audit",
            detail={k: str(v) for k, v in filters.items() if v},
            client=client,
        )
        return [dict(r) for r in rows], total


def actions(store: Store) -> list[str]:
    with store.connect() as conn:
        return repo.actions(conn)
