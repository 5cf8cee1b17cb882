"""The review of a hit, as a state machine of pure functions.

    new ──assign──▶ assigned ──start──▶ in_review ──dispose──▶ closed
     └─────────────────start / dispose──────┘        └──▶ second_review ──approve──▶ closed
                                                             └──send back──▶ in_review
    closed ──reopen──▶ in_review

A hit is raised by a machine; only a person closes it, with a disposition and a reason. A
confirmed match reaches the port's lookout only through that human disposition (and, where the
supervisor requires it for the hit's severity, a second person's approval): no adverse action
rests on automation alone. Functions here decide; `services/cases.py` stores the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from firstline.cases.access import Actor, Permission
from firstline.exc import InvalidRequestError, PermissionDeniedError


class ReviewState(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_REVIEW = "in_review"
    SECOND_REVIEW = "second_review"
    CLOSED = "closed"


OPEN_STATES = (
    ReviewState.NEW,
    ReviewState.ASSIGNED,
    ReviewState.IN_REVIEW,
    ReviewState.SECOND_REVIEW,
)


class Disposition(StrEnum):
    CONFIRMED = "confirmed"  # the traveller is the listed person / the risk is real
    FALSE_POSITIVE = "false_positive"
    INCONCLUSIVE = "inconclusive"


SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}


class WorkflowError(InvalidRequestError):
    """The step does not apply to the hit as it stands (wrong state, missing reason)."""

    code = "workflow_error"
    http_status = 409


class NotAllowedError(PermissionDeniedError):
    """The actor may not take this step on this hit (the one refusal every layer raises)."""


@dataclass(frozen=True, slots=True)
class HitState:
    id: int
    state: ReviewState
    severity: str
    status: str
    assignee_id: int | None = None
    first_reviewer_id: int | None = None
    proposed_disposition: str | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """What a decision changes, and how it is written in the hit's history."""

    action: str
    to_state: ReviewState
    status: str  # "open" until closed, then the disposition
    assignee_id: int | None
    first_reviewer_id: int | None
    proposed_disposition: str | None
    disposition: str | None = None  # set on the decision that closes the hit
    lookout: bool = False  # a confirmed match goes to the arrival port's lookout


def _need(actor: Actor, permission: Permission) -> None:
    if not actor.can(permission):
        raise NotAllowedError(f"the {actor.role} role does not allow {permission.value}")


def _in(hit: HitState, *states: ReviewState, doing: str) -> None:
    if hit.state not in states:
        raise WorkflowError(
            f"hit {hit.id} is {hit.state.value.replace('_', ' ')}: cannot {doing} it"
        )


def _reason(reason: str | None, doing: str) -> None:
    if not reason or not reason.strip():
        raise WorkflowError(f"a reason is required to {doing} a hit")


def assign(hit: HitState, actor: Actor, assignee_id: int) -> Step:
    """Give the hit to an officer: supervisors give to anyone, an officer takes for
    themself a hit nobody holds."""
    _in(hit, ReviewState.NEW, ReviewState.ASSIGNED, ReviewState.IN_REVIEW, doing="assign")
    if assignee_id != actor.user_id or (hit.assignee_id not in (None, actor.user_id)):
        _need(actor, Permission.ASSIGN_HITS)
    else:
        _need(actor, Permission.REVIEW_HITS)
    return Step("assign", ReviewState.ASSIGNED, "open", assignee_id, None, None)


def start_review(hit: HitState, actor: Actor) -> Step:
    _need(actor, Permission.REVIEW_HITS)
    _in(hit, ReviewState.NEW, ReviewState.ASSIGNED, doing="start reviewing")
    if hit.assignee_id not in (None, actor.user_id):
        _need(actor, Permission.ASSIGN_HITS)  # taking over someone else's hit
    return Step("start_review", ReviewState.IN_REVIEW, "open", actor.user_id, None, None)


def dispose(
    hit: HitState,
    actor: Actor,
    disposition: Disposition,
    reason: str | None,
    *,
    second_review_for: frozenset[str],
) -> Step:
    """The first reviewer's decision: closes the hit, or sends it to a second reviewer when
    the supervisor requires one for this severity."""
    _need(actor, Permission.REVIEW_HITS)
    _in(
        hit,
        ReviewState.NEW,
        ReviewState.ASSIGNED,
        ReviewState.IN_REVIEW,
        doing="decide on",
    )
    _reason(reason, "decide on")
    if hit.assignee_id not in (None, actor.user_id):
        _need(actor, Permission.ASSIGN_HITS)
    if hit.severity in second_review_for:
        return Step(
            "propose",
            ReviewState.SECOND_REVIEW,
            "open",
            actor.user_id,
            actor.user_id,
            disposition.value,
        )
    return Step(
        "dispose",
        ReviewState.CLOSED,
        disposition.value,
        actor.user_id,
        actor.user_id,
        None,
        disposition=disposition.value,
        lookout=disposition is Disposition.CONFIRMED,
    )


def approve(hit: HitState, actor: Actor, reason: str | None) -> Step:
    """The second reviewer agrees: the proposed disposition becomes the hit's."""
    _need(actor, Permission.SECOND_REVIEW)
    _in(hit, ReviewState.SECOND_REVIEW, doing="approve")
    if actor.user_id is not None and actor.user_id == hit.first_reviewer_id:
        raise NotAllowedError("a second review must be made by another officer")
    _reason(reason, "approve")
    disposition = hit.proposed_disposition or Disposition.INCONCLUSIVE.value
    return Step(
        "approve",
        ReviewState.CLOSED,
        disposition,
        hit.assignee_id,
        hit.first_reviewer_id,
        None,
        disposition=disposition,
        lookout=disposition == Disposition.CONFIRMED.value,
    )


def send_back(hit: HitState, actor: Actor, reason: str | None) -> Step:
    """The second reviewer disagrees: back to the first reviewer, with the reason."""
    _need(actor, Permission.SECOND_REVIEW)
    _in(hit, ReviewState.SECOND_REVIEW, doing="send back")
    _reason(reason, "send back")
    return Step(
        "send_back",
        ReviewState.IN_REVIEW,
        "open",
        hit.first_reviewer_id,
        hit.first_reviewer_id,
        None,
    )


def reopen(hit: HitState, actor: Actor, reason: str | None) -> Step:
    _need(actor, Permission.ASSIGN_HITS)
    _in(hit, ReviewState.CLOSED, doing="reopen")
    _reason(reason, "reopen")
    return Step("reopen", ReviewState.IN_REVIEW, "open", actor.user_id, None, None)
