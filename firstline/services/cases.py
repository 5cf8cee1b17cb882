"""Officers' work on hits: the queue, review decisions, the port lookout, notes.

Every decision is written with the actor, time, reason and the state before and after
(`hit_decisions`, append-only) and in the audit trail, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from firstline.cases import workflow
from firstline.cases.access import Actor, Permission
from firstline.cases.lookout import Outcome
from firstline.cases.workflow import Disposition, HitState, ReviewState, Step
from firstline.exc import InvalidRequestError, NotFoundError, PermissionDeniedError
from firstline.services import audit
from firstline.services.access import require
from firstline.store import Store
from firstline.store.repos import access as access_repo
from firstline.store.repos import cases as repo
from firstline.store.repos import workplace as workplace_repo

SECOND_REVIEW_KEY = "second_review_severities"
SEVERITIES = ("high", "medium", "low")


def queue(
    store: Store,
    actor: Actor,
    *,
    states: Sequence[str] | None = None,
    severity: str | None = None,
    category: str | None = None,
    source: str | None = None,
    assignee: str | None = None,
    flight_id: int | None = None,
    within_hours: int | None = None,
    now: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """The hit queue: open hits by severity, then time to arrival. `assignee` is a user
    name, "me" or "none"; `now` is the unit's local time (schedules are local)."""
    require(actor, Permission.VIEW_HITS)
    wanted = list(states) if states else [s.value for s in workflow.OPEN_STATES]
    unknown = set(wanted) - {s.value for s in ReviewState}
    if unknown:
        raise InvalidRequestError(f"unknown review state {sorted(unknown)[0]!r}")
    with store.connect() as conn:
        assignee_id = None
        if assignee == "me":
            assignee_id = actor.user_id or -1
        elif assignee and assignee != "none":
            user = access_repo.user_by_name(conn, assignee)
            assignee_id = int(user["id"]) if user else -1
        # Schedules are stored as local times without zone: compare naive local times.
        now = now or datetime.now(UTC).replace(tzinfo=None)
        before = None if within_hours is None else now + timedelta(hours=within_hours)
        rows, total = repo.queue(
            conn,
            states=wanted,
            severity=severity or None,
            category=category or None,
            source=source or None,
            assignee_id=assignee_id,
            unassigned=assignee == "none",
            flight_id=flight_id,
            arriving_before=before,
            now=now,
            limit=limit,
            offset=offset,
        )
    return [dict(r) for r in rows], total


def queue_counts(store: Store, actor: Actor) -> dict[str, dict[str, int]]:
    """Open hits per review state and severity, for the queue's header."""
    require(actor, Permission.VIEW_HITS)
    with store.connect() as conn:
        counts = repo.queue_counts(conn)
    out: dict[str, dict[str, int]] = {}
    for (state, severity), n in counts.items():
        out.setdefault(state, {})[severity] = n
    return out


def hit(store: Store, actor: Actor, hit_id: int, *, client: str | None = None) -> dict[str, Any]:
    """A hit with its explanation and decision history; the view is audited (it shows the
    traveller's name)."""
    require(actor, Permission.VIEW_HITS)
    with store.begin() as conn:
        row = repo.hit_row(conn, hit_id)
        if row is None:
            raise NotFoundError(f"no hit {hit_id}")
        out = dict(row)
        out["decisions"] = [dict(d) for d in repo.decisions_of(conn, hit_id)]
        out["lookout"] = _lookout_of(conn, hit_id)
        out["second_review_for"] = sorted(_second_review_for(conn))
        audit.record(conn, actor, "view_hit", object_type="hit", object_id=hit_id, client=client)
    return out


def _lookout_of(conn: Connection, hit_id: int) -> dict[str, Any] | None:
    found = repo.lookout_list(conn, hit_id=hit_id, limit=1)
    return dict(found[0]) if found else None


def _state(row: Any) -> HitState:
    return HitState(
        id=int(row["id"]),
        state=ReviewState(row["review_state"]),
        severity=str(row["severity"]),
        status=str(row["status"]),
        assignee_id=row["assignee_id"],
        first_reviewer_id=row["first_reviewer_id"],
        proposed_disposition=row["proposed_disposition"],
    )


def _second_review_for(conn: Connection) -> frozenset[str]:
    value = repo.get_setting(conn, SECOND_REVIEW_KEY)
    return frozenset(value or ())


def decide(
    store: Store,
    actor: Actor,
    hit_ids: Sequence[int],
    action: str,
    *,
    disposition: str | None = None,
    reason: str | None = None,
    assignee: str | None = None,
    client: str | None = None,
) -> list[dict[str, Any]]:
    """Apply one review step to one or many hits (bulk actions), all or none.

    `action`: assign (to `assignee`, default the actor), start_review, dispose (with
    `disposition`), approve, send_back, reopen.
    """
    # Refused before anything is looked up: a role that takes no review step must not learn
    # which hits or user names exist from a 404 or a 422.
    if not any(
        actor.can(p)
        for p in (Permission.REVIEW_HITS, Permission.ASSIGN_HITS, Permission.SECOND_REVIEW)
    ):
        raise PermissionDeniedError(f"the {actor.role} role does not review hits")
    if not hit_ids:
        raise InvalidRequestError("no hit selected")
    now = datetime.now(UTC)
    results = []
    with store.begin() as conn:
        policy = _second_review_for(conn)
        assignee_id = _assignee_id(conn, actor, assignee) if action == "assign" else None
        for hit_id in hit_ids:
            row = repo.hit_row(conn, hit_id)
            if row is None:
                raise NotFoundError(f"no hit {hit_id}")
            state = _state(row)
            step = _step(state, actor, action, disposition, reason, assignee_id, policy)
            _write(conn, actor, row, state, step, reason, now, client)
            results.append({"hit_id": hit_id, "state": step.to_state.value, "status": step.status})
    return results


def _assignee_id(conn: Connection, actor: Actor, assignee: str | None) -> int:
    if not assignee or assignee == "me":
        if actor.user_id is None:
            raise InvalidRequestError("name the officer to assign the hit to")
        return actor.user_id
    user = access_repo.user_by_name(conn, assignee.strip().lower())
    if user is None or not user["active"]:
        raise NotFoundError(f"no active user {assignee!r}")
    if Permission.REVIEW_HITS.value not in access_repo.permissions_of(conn, user["role"]):
        raise InvalidRequestError(f"{assignee} cannot review hits ({user['role']})")
    return int(user["id"])


def _step(
    state: HitState,
    actor: Actor,
    action: str,
    disposition: str | None,
    reason: str | None,
    assignee_id: int | None,
    policy: frozenset[str],
) -> Step:
    if action == "assign":
        assert assignee_id is not None
        return workflow.assign(state, actor, assignee_id)
    if action == "start_review":
        return workflow.start_review(state, actor)
    if action == "dispose":
        try:
            chosen = Disposition(disposition or "")
        except ValueError:
            raise InvalidRequestError(
                f"disposition must be one of {', '.join(d.value for d in Disposition)}"
            ) from None
        return workflow.dispose(state, actor, chosen, reason, second_review_for=policy)
    if action == "approve":
        return workflow.approve(state, actor, reason)
    if action == "send_back":
        return workflow.send_back(state, actor, reason)
    if action == "reopen":
        return workflow.reopen(state, actor, reason)
    raise InvalidRequestError(
        f"unknown action {action!r}: assign, start_review, dispose, approve, send_back, reopen"
    )


def _write(
    conn: Connection,
    actor: Actor,
    row: Any,
    state: HitState,
    step: Step,
    reason: str | None,
    now: datetime,
    client: str | None,
) -> None:
    applied = repo.apply_step(
        conn,
        state.id,
        values={
            "review_state": step.to_state.value,
            "status": step.status,
            "assignee_id": step.assignee_id,
            "first_reviewer_id": step.first_reviewer_id,
            "proposed_disposition": step.proposed_disposition,
            "updated_at": now,
        },
        decision={
            "user_id": actor.user_id,
            "actor": actor.username,
            "action": step.action,
            "from_state": state.state.value,
            "to_state": step.to_state.value,
            "disposition": step.disposition or step.proposed_disposition,
            "assignee_id": step.assignee_id,
            "reason": reason.strip() if reason else None,
            "at": now,
        },
    )
    if not applied:  # another officer's decision came first: theirs stands
        raise workflow.WorkflowError(
            f"hit {state.id} was changed by someone else meanwhile: reload it and decide again"
        )
    if step.lookout:
        repo.add_lookout(
            conn,
            hit_id=state.id,
            traveller_id=row["traveller_id"],
            flight_id=row["flight_id"],
            port=_control_port(conn, row),
            instruction=reason.strip() if reason else None,
            created_by=actor.user_id,
            created_at=now,
        )
    audit.record(
        conn,
        actor,
        f"hit_{step.action}",
        object_type="hit",
        object_id=state.id,
        detail={
            "from": state.state.value,
            "to": step.to_state.value,
            "disposition": step.disposition or step.proposed_disposition,
            "traveller_id": row["traveller_id"],
        },
        reason=reason,
        client=client,
    )


def _control_port(conn: Connection, row: Any) -> str | None:
    """Where officers meet the traveller: the unit's own airport, at arrival or, for a
    departure from it (an outbound cash courier), at departure; else the destination."""
    home = set(repo.get_setting(conn, "home_airports") or ())
    if row["destination"] in home or row["origin"] not in home:
        return str(row["destination"]) if row["destination"] else None
    return str(row["origin"])


def lookout(
    store: Store, actor: Actor, *, port: str | None = None, pending_only: bool = False
) -> list[dict[str, Any]]:
    """Confirmed travellers for the arrival port: a port officer sees their own port."""
    require(actor, Permission.VIEW_LOOKOUT)
    # Who may not see the hit queue (port officers, by the default roles) sees one port only.
    if not actor.can(Permission.VIEW_HITS) or (actor.port and not port):
        port = _own_port(actor)
    with store.begin() as conn:
        rows = [dict(r) for r in repo.lookout_list(conn, port=port, pending_only=pending_only)]
        audit.record(conn, actor, "view_lookout", object_type="port", object_id=port or "all")
    return rows


def _own_port(actor: Actor) -> str:
    """The port an officer is posted to; an account without one sees no port (not all)."""
    if not actor.port:
        raise PermissionDeniedError("no port is set for this account: ask an administrator")
    return actor.port


def record_outcome(
    store: Store,
    actor: Actor,
    lookout_id: int,
    outcome: str,
    note: str | None,
    *,
    client: str | None = None,
) -> None:
    require(actor, Permission.RECORD_OUTCOME)
    try:
        chosen = Outcome(outcome)
    except ValueError:
        raise InvalidRequestError(
            f"outcome must be one of {', '.join(o.value for o in Outcome)}"
        ) from None
    now = datetime.now(UTC)
    with store.begin() as conn:
        row = repo.lookout_row(conn, lookout_id)
        if row is None:
            raise NotFoundError(f"no lookout {lookout_id}")
        if (actor.port or actor.role == "port_officer") and row["port"] != _own_port(actor):
            raise PermissionDeniedError(f"this lookout is for {row['port']}, not {actor.port}")
        if row["outcome"] is not None:
            raise workflow.WorkflowError("an outcome is already recorded for this lookout")
        repo.record_outcome(
            conn,
            lookout_id,
            outcome=chosen.value,
            outcome_note=(note or "").strip() or None,
            outcome_by=actor.user_id,
            outcome_at=now,
        )
        audit.record(
            conn,
            actor,
            "record_outcome",
            object_type="lookout",
            object_id=lookout_id,
            detail={"outcome": chosen.value, "hit_id": row["hit_id"]},
            client=client,
        )


def outcome_statistics(store: Store) -> dict[str, dict[str, int]]:
    """Port outcomes per detector ("rule:<key>", "watchlist:<list id>"), which tell a rule's
    author and a list's owner whether their hits bear out at the gate."""
    with store.connect() as conn:
        rows = repo.outcome_counts(conn)
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        key = ":".join(str(row["source_key"]).split(":")[:2])
        bucket = out.setdefault(key, {})
        bucket[row["outcome"]] = bucket.get(row["outcome"], 0) + int(row["n"])
    return out


def add_note(
    store: Store, actor: Actor, traveller_id: int, text: str, *, client: str | None = None
) -> None:
    require(actor, Permission.WRITE_NOTES)
    if not text.strip():
        raise InvalidRequestError("a note cannot be empty")
    with store.begin() as conn:
        if workplace_repo.traveller(conn, traveller_id) is None:
            raise NotFoundError(f"no traveller {traveller_id}")
        repo.add_note(
            conn,
            traveller_id=traveller_id,
            user_id=actor.user_id,
            author=actor.username,
            text=text.strip(),
            created_at=datetime.now(UTC),
        )
        audit.record(
            conn, actor, "add_note", object_type="traveller", object_id=traveller_id,
            client=client,
        )  # fmt: skip


def second_review_policy(store: Store) -> list[str]:
    with store.connect() as conn:
        return sorted(_second_review_for(conn))


def set_second_review_policy(store: Store, actor: Actor, severities: Sequence[str]) -> None:
    """Which severities need a second officer's approval before a hit closes."""
    require(actor, Permission.MANAGE_SETTINGS)
    wrong = set(severities) - set(SEVERITIES)
    if wrong:
        raise InvalidRequestError(f"unknown severity {sorted(wrong)[0]!r}")
    with store.begin() as conn:
        repo.put_setting(
            conn, SECOND_REVIEW_KEY, sorted(set(severities)), now=datetime.now(UTC),
            by=actor.username,
        )  # fmt: skip
        audit.record(
            conn, actor, "change_setting", object_type="setting", object_id=SECOND_REVIEW_KEY,
            detail={"value": sorted(set(severities))},
        )  # fmt: skip
