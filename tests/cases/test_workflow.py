"""The review state machine, as pure functions: every step, every refusal."""

from __future__ import annotations

from dataclasses import replace

import pytest

from firstline.cases.access import DEFAULT_ROLES, Actor, Permission, command_line_actor
from firstline.cases.workflow import (
    Disposition,
    HitState,
    NotAllowedError,
    ReviewState,
    WorkflowError,
    approve,
    assign,
    dispose,
    reopen,
    send_back,
    start_review,
)

ROLES = {r.name: r.permissions for r in DEFAULT_ROLES}
NO_POLICY: frozenset[str] = frozenset()
HIGH_POLICY = frozenset({"high"})


def officer(role: str, user_id: int) -> Actor:
    return Actor(
        user_id=user_id,
        username=f"{role}{user_id}",
        role=role,
        permissions=frozenset(p.value for p in ROLES[role]),
    )


ANALYST = officer("analyst", 1)
OTHER_ANALYST = officer("analyst", 2)
SUPERVISOR = officer("supervisor", 3)
OTHER_SUPERVISOR = officer("supervisor", 4)
PORT = officer("port_officer", 5)
ADMIN = officer("administrator", 6)
AUDITOR = officer("auditor", 7)


def hit(
    state: ReviewState = ReviewState.NEW,
    severity: str = "medium",
    *,
    assignee_id: int | None = None,
    first_reviewer_id: int | None = None,
    proposed_disposition: str | None = None,
) -> HitState:
    return HitState(
        id=9,
        state=state,
        severity=severity,
        status="open",
        assignee_id=assignee_id,
        first_reviewer_id=first_reviewer_id,
        proposed_disposition=proposed_disposition,
    )


def test_wrong_state_is_a_409_and_a_refusal_is_a_403() -> None:
    assert WorkflowError.http_status == 409 and NotAllowedError.http_status == 403


# -- assign ---------------------------------------------------------------------------------


def test_an_officer_takes_a_hit_nobody_holds() -> None:
    step = assign(hit(), ANALYST, ANALYST.user_id or 0)
    assert (step.action, step.to_state, step.status, step.assignee_id) == (
        "assign",
        ReviewState.ASSIGNED,
        "open",
        1,
    )
    assert step.disposition is None and not step.lookout


def test_only_a_supervisor_gives_a_hit_to_someone_else_or_takes_a_held_one() -> None:
    with pytest.raises(NotAllowedError, match="hits:assign"):
        assign(hit(), ANALYST, 2)
    with pytest.raises(NotAllowedError):
        assign(hit(ReviewState.ASSIGNED, assignee_id=2), ANALYST, 1)
    assert assign(hit(), SUPERVISOR, 2).assignee_id == 2
    held = hit(ReviewState.IN_REVIEW, assignee_id=2)
    assert assign(held, SUPERVISOR, 1).to_state is ReviewState.ASSIGNED


@pytest.mark.parametrize("actor", [PORT, ADMIN, AUDITOR])
def test_roles_without_review_cannot_take_a_hit(actor: Actor) -> None:
    with pytest.raises(NotAllowedError):
        assign(hit(), actor, actor.user_id or 0)


@pytest.mark.parametrize("state", [ReviewState.SECOND_REVIEW, ReviewState.CLOSED])
def test_a_hit_past_review_cannot_be_assigned(state: ReviewState) -> None:
    with pytest.raises(WorkflowError, match="cannot assign"):
        assign(hit(state), SUPERVISOR, 1)


# -- start_review ---------------------------------------------------------------------------


@pytest.mark.parametrize("state", [ReviewState.NEW, ReviewState.ASSIGNED])
def test_start_review(state: ReviewState) -> None:
    step = start_review(
        hit(state, assignee_id=1 if state is ReviewState.ASSIGNED else None), ANALYST
    )
    assert (step.to_state, step.assignee_id, step.status) == (ReviewState.IN_REVIEW, 1, "open")


def test_start_review_of_someone_elses_hit_needs_assign() -> None:
    theirs = hit(ReviewState.ASSIGNED, assignee_id=2)
    with pytest.raises(NotAllowedError):
        start_review(theirs, ANALYST)
    assert start_review(theirs, SUPERVISOR).assignee_id == SUPERVISOR.user_id


@pytest.mark.parametrize(
    "state", [ReviewState.IN_REVIEW, ReviewState.SECOND_REVIEW, ReviewState.CLOSED]
)
def test_start_review_in_a_wrong_state(state: ReviewState) -> None:
    with pytest.raises(WorkflowError, match="cannot start reviewing"):
        start_review(hit(state, assignee_id=1), ANALYST)


@pytest.mark.parametrize("actor", [PORT, ADMIN, AUDITOR])
def test_start_review_needs_review(actor: Actor) -> None:
    with pytest.raises(NotAllowedError, match="hits:review"):
        start_review(hit(), actor)


# -- dispose --------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [ReviewState.NEW, ReviewState.ASSIGNED, ReviewState.IN_REVIEW])
@pytest.mark.parametrize("disposition", list(Disposition))
def test_dispose_closes_the_hit(state: ReviewState, disposition: Disposition) -> None:
    held = hit(state, assignee_id=None if state is ReviewState.NEW else 1)
    step = dispose(held, ANALYST, disposition, "seen the documents", second_review_for=NO_POLICY)
    assert (step.action, step.to_state, step.status, step.disposition) == (
        "dispose",
        ReviewState.CLOSED,
        disposition.value,
        disposition.value,
    )
    assert (step.assignee_id, step.first_reviewer_id, step.proposed_disposition) == (1, 1, None)
    assert step.lookout is (disposition is Disposition.CONFIRMED)


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_dispose_needs_a_reason(reason: str | None) -> None:
    with pytest.raises(WorkflowError, match="reason is required"):
        dispose(hit(), ANALYST, Disposition.FALSE_POSITIVE, reason, second_review_for=NO_POLICY)


@pytest.mark.parametrize("state", [ReviewState.SECOND_REVIEW, ReviewState.CLOSED])
def test_dispose_in_a_wrong_state(state: ReviewState) -> None:
    with pytest.raises(WorkflowError, match="cannot decide on"):
        dispose(hit(state), SUPERVISOR, Disposition.CONFIRMED, "x", second_review_for=NO_POLICY)


def test_dispose_of_someone_elses_hit_needs_assign() -> None:
    theirs = hit(ReviewState.IN_REVIEW, assignee_id=2)
    with pytest.raises(NotAllowedError):
        dispose(theirs, ANALYST, Disposition.CONFIRMED, "x", second_review_for=NO_POLICY)
    assert dispose(theirs, SUPERVISOR, Disposition.CONFIRMED, "x", second_review_for=NO_POLICY)


@pytest.mark.parametrize("actor", [PORT, ADMIN, AUDITOR])
def test_dispose_needs_review(actor: Actor) -> None:
    with pytest.raises(NotAllowedError):
        dispose(hit(), actor, Disposition.CONFIRMED, "x", second_review_for=NO_POLICY)


def test_a_severity_under_the_policy_goes_to_a_second_review() -> None:
    step = dispose(
        hit(ReviewState.IN_REVIEW, "high", assignee_id=1),
        ANALYST,
        Disposition.CONFIRMED,
        "matches the listed person",
        second_review_for=HIGH_POLICY,
    )
    assert (step.action, step.to_state, step.status) == (
        "propose",
        ReviewState.SECOND_REVIEW,
        "open",
    )
    assert (step.first_reviewer_id, step.proposed_disposition) == (1, "confirmed")
    assert step.disposition is None and not step.lookout  # nothing reaches the port yet
    medium = dispose(
        hit(ReviewState.IN_REVIEW, "medium", assignee_id=1),
        ANALYST,
        Disposition.CONFIRMED,
        "x",
        second_review_for=HIGH_POLICY,
    )
    assert medium.to_state is ReviewState.CLOSED and medium.lookout


# -- second review --------------------------------------------------------------------------


PROPOSED = hit(
    ReviewState.SECOND_REVIEW,
    "high",
    assignee_id=1,
    first_reviewer_id=1,
    proposed_disposition="confirmed",
)


def test_approve_closes_with_the_proposed_disposition_and_flags_the_lookout() -> None:
    step = approve(PROPOSED, SUPERVISOR, "agreed")
    assert (step.action, step.to_state, step.status, step.disposition) == (
        "approve",
        ReviewState.CLOSED,
        "confirmed",
        "confirmed",
    )
    assert step.lookout and (step.assignee_id, step.first_reviewer_id) == (1, 1)
    cleared = approve(replace(PROPOSED, proposed_disposition="false_positive"), SUPERVISOR, "ok")
    assert cleared.status == "false_positive" and not cleared.lookout


def test_the_second_review_is_by_another_officer() -> None:
    own = replace(PROPOSED, first_reviewer_id=SUPERVISOR.user_id)
    with pytest.raises(NotAllowedError, match="another officer"):
        approve(own, SUPERVISOR, "agreed")
    assert approve(own, OTHER_SUPERVISOR, "agreed").to_state is ReviewState.CLOSED


@pytest.mark.parametrize("actor", [ANALYST, PORT, ADMIN, AUDITOR])
def test_approve_and_send_back_need_second_review(actor: Actor) -> None:
    with pytest.raises(NotAllowedError, match="hits:second_review"):
        approve(PROPOSED, actor, "x")
    with pytest.raises(NotAllowedError, match="hits:second_review"):
        send_back(PROPOSED, actor, "x")


@pytest.mark.parametrize(
    "state", [ReviewState.NEW, ReviewState.ASSIGNED, ReviewState.IN_REVIEW, ReviewState.CLOSED]
)
def test_approve_and_send_back_only_in_second_review(state: ReviewState) -> None:
    with pytest.raises(WorkflowError, match="cannot approve"):
        approve(replace(PROPOSED, state=state), SUPERVISOR, "x")
    with pytest.raises(WorkflowError, match="cannot send back"):
        send_back(replace(PROPOSED, state=state), SUPERVISOR, "x")


@pytest.mark.parametrize("reason", [None, " "])
def test_approve_and_send_back_need_a_reason(reason: str | None) -> None:
    with pytest.raises(WorkflowError, match="reason is required to approve"):
        approve(PROPOSED, SUPERVISOR, reason)
    with pytest.raises(WorkflowError, match="reason is required to send back"):
        send_back(PROPOSED, SUPERVISOR, reason)


def test_send_back_returns_the_hit_to_the_first_reviewer() -> None:
    step = send_back(PROPOSED, SUPERVISOR, "check the second document")
    assert (step.action, step.to_state, step.status) == ("send_back", ReviewState.IN_REVIEW, "open")
    assert (step.assignee_id, step.first_reviewer_id, step.proposed_disposition) == (1, 1, None)
    assert not step.lookout
    # ... who can decide again.
    again = replace(PROPOSED, state=step.to_state, proposed_disposition=None)
    assert (
        dispose(
            again,
            ANALYST,
            Disposition.FALSE_POSITIVE,
            "twin brother",
            second_review_for=HIGH_POLICY,
        ).to_state
        is ReviewState.SECOND_REVIEW
    )


# -- reopen ---------------------------------------------------------------------------------


def test_reopen_a_closed_hit() -> None:
    closed = hit(ReviewState.CLOSED, assignee_id=1, first_reviewer_id=1)
    step = reopen(closed, SUPERVISOR, "new information")
    assert (step.action, step.to_state, step.status, step.assignee_id) == (
        "reopen",
        ReviewState.IN_REVIEW,
        "open",
        SUPERVISOR.user_id,
    )
    assert not step.lookout and step.first_reviewer_id is None
    with pytest.raises(WorkflowError, match="reason is required to reopen"):
        reopen(closed, SUPERVISOR, "")
    with pytest.raises(NotAllowedError, match="hits:assign"):
        reopen(closed, ANALYST, "new information")


@pytest.mark.parametrize("state", [s for s in ReviewState if s is not ReviewState.CLOSED])
def test_only_a_closed_hit_reopens(state: ReviewState) -> None:
    with pytest.raises(WorkflowError, match="cannot reopen"):
        reopen(hit(state), SUPERVISOR, "x")


def test_the_command_line_may_take_every_step() -> None:
    shell = command_line_actor("ops")
    assert shell.permissions == frozenset(p.value for p in Permission)
    step = dispose(hit(), shell, Disposition.CONFIRMED, "x", second_review_for=HIGH_POLICY)
    assert step.to_state is ReviewState.CLOSED
