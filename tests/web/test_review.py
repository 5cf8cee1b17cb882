"""The review of hits over HTTP, through the pages' forms and through the JSON API: assign,
start, dispose, second review by another officer, send back, reopen, bulk actions, and a
confirmed match reaching the port's lookout."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from webkit import Officer, World

from firstline.store.repos import cases as cases_repo

DECISIONS = "/api/v1/hits/decisions"
POLICY = "/api/v1/policy/second-review"


def _hit(officer: Officer, hit_id: int) -> dict[str, Any]:
    answer = officer.get(f"/api/v1/hits/{hit_id}")
    assert answer.status_code == 200
    data: dict[str, Any] = answer.json()
    return data


def _decide(officer: Officer, hit_id: int, action: str, **form: Any) -> Any:
    return officer.form(f"/hits/{hit_id}/decide", {"action": action, **form})


def _lookout_hits(officer: Officer) -> set[int]:
    return {r["hit_id"] for r in officer.get("/api/v1/lookout").json()}


@pytest.fixture
def high_needs_second_review(officers: dict[str, Officer]) -> Iterator[None]:
    supervisor = officers["supervisor"]
    before = supervisor.get(POLICY).json()["severities"]
    done = supervisor.form("/hits/policy", {"severities": ["high"]})
    assert done.status_code == 303
    assert supervisor.get(POLICY).json() == {"severities": ["high"]}
    yield
    assert supervisor.send("PUT", POLICY, {"severities": before}).status_code == 200


def test_review_through_the_forms(world: World, officers: dict[str, Officer]) -> None:
    flight = world.flight(medium=1)
    (hit,) = flight.medium
    analyst = officers["analyst"]

    taken = _decide(analyst, hit, "assign")
    assert taken.status_code == 303 and taken.headers["location"] == f"/hits/{hit}"
    assert (_hit(analyst, hit)["review_state"], _hit(analyst, hit)["assignee"]) == (
        "assigned",
        "analyst",
    )
    assert _decide(analyst, hit, "start_review").status_code == 303
    assert _hit(analyst, hit)["review_state"] == "in_review"

    refused = _decide(analyst, hit, "dispose", disposition="confirmed")
    assert refused.status_code == 409 and "a reason is required" in refused.text
    unknown = _decide(analyst, hit, "dispose", disposition="maybe", reason="r")
    assert unknown.status_code == 422 and "disposition must be one of" in unknown.text
    assert _decide(analyst, hit, "shrug", reason="r").status_code == 422

    done = _decide(
        analyst, hit, "dispose", disposition="confirmed", reason="Passport photo matches"
    )
    assert done.status_code == 303
    closed = _hit(analyst, hit)
    assert (closed["review_state"], closed["status"]) == ("closed", "confirmed")
    assert [d["action"] for d in closed["decisions"]] == ["assign", "start_review", "dispose"]
    assert closed["decisions"][-1]["reason"] == "Passport photo matches"
    assert closed["lookout"]["port"] == "BBB"

    # The decisions are shown on the hit's page, and the traveller on the port's lookout.
    page = analyst.get(f"/hits/{hit}").text
    assert "Passport photo matches" in page and "start review" in page
    assert hit in _lookout_hits(officers["supervisor"])
    assert hit in _lookout_hits(officers["port_officer"])
    assert "Passport photo matches" in officers["port_officer"].get("/lookout").text
    assert _decide(analyst, hit, "start_review").status_code == 409  # closed


def test_review_through_the_api(world: World, officers: dict[str, Officer]) -> None:
    flight = world.flight(medium=2)
    confirmed, cleared = flight.medium
    analyst = officers["analyst"]

    def step(body: dict[str, Any], status: int = 200) -> Any:
        answer = analyst.send("POST", DECISIONS, body)
        assert answer.status_code == status, answer.text
        return answer.json()

    assert step({"hit_ids": [confirmed], "action": "assign", "assignee": "me"}) == [
        {"hit_id": confirmed, "state": "assigned", "status": "open"}
    ]
    step({"hit_ids": [confirmed], "action": "start_review"})
    missing = step({"hit_ids": [confirmed], "action": "dispose", "disposition": "confirmed"}, 409)
    assert missing["error"] == "workflow_error" and "reason" in missing["message"]
    assert step({"hit_ids": [], "action": "dispose"}, 422)["error"] == "invalid_request"
    assert step({"hit_ids": [987654], "action": "start_review"}, 404)["error"] == "not_found"
    body = {"hit_ids": [confirmed], "action": "dispose", "disposition": "confirmed"}
    assert step({**body, "reason": "same person"})[0]["status"] == "confirmed"
    assert step(
        {"hit_ids": [cleared], "action": "dispose", "disposition": "false_positive",
         "reason": "different date of birth"},
    )[0] == {"hit_id": cleared, "state": "closed", "status": "false_positive"}  # fmt: skip
    lookout = _lookout_hits(analyst)
    assert confirmed in lookout and cleared not in lookout
    # An analyst cannot give hits to others, nor take them over.
    other = world.flight(medium=1).medium[0]
    handed = step({"hit_ids": [other], "action": "assign", "assignee": "analyst2"}, 403)
    assert handed["error"] == "permission_denied"
    assert (
        officers["supervisor"]
        .send("POST", DECISIONS, {"hit_ids": [other], "action": "assign", "assignee": "analyst2"})
        .status_code
        == 200
    )
    assert step({"hit_ids": [other], "action": "start_review"}, 403)["error"] == (
        "permission_denied"
    )
    # A hit cannot be given to someone who does not review hits.
    to_auditor = {"hit_ids": [other], "action": "assign", "assignee": "auditor"}
    assert officers["supervisor"].send("POST", DECISIONS, to_auditor).status_code == 422


def test_second_review_by_another_officer(
    world: World, officers: dict[str, Officer], high_needs_second_review: None
) -> None:
    flight = world.flight(high=2, medium=1)
    proposed, own = flight.high
    analyst, supervisor, supervisor2 = (
        officers["analyst"],
        officers["supervisor"],
        officers["supervisor2"],
    )
    dispose = {"action": "dispose", "disposition": "confirmed", "reason": "matches"}

    # A high hit goes to a second review; a medium one closes at once.
    assert analyst.send("POST", DECISIONS, {**dispose, "hit_ids": [proposed]}).json() == [
        {"hit_id": proposed, "state": "second_review", "status": "open"}
    ]
    assert (
        analyst.send("POST", DECISIONS, {**dispose, "hit_ids": flight.medium}).json()[0]["state"]
        == "closed"
    )
    assert proposed not in _lookout_hits(supervisor)  # not before the approval
    data = _hit(analyst, proposed)
    assert (data["proposed_disposition"], data["second_review_for"]) == ("confirmed", ["high"])

    # The analyst may not approve (no second review permission) ...
    assert _decide(analyst, proposed, "approve", reason="ok").status_code == 403
    # ... a supervisor may, once with a reason ...
    assert _decide(supervisor, proposed, "approve").status_code == 409
    assert _decide(supervisor, proposed, "approve", reason="agree").status_code == 303
    approved = _hit(supervisor, proposed)
    assert (approved["review_state"], approved["status"]) == ("closed", "confirmed")
    assert [(d["action"], d["actor"]) for d in approved["decisions"]] == [
        ("propose", "analyst"),
        ("approve", "supervisor"),
    ]
    assert proposed in _lookout_hits(supervisor)

    # ... but never their own proposal.
    assert supervisor.send("POST", DECISIONS, {**dispose, "hit_ids": [own]}).status_code == 200
    refused = supervisor.send(
        "POST", DECISIONS, {"hit_ids": [own], "action": "approve", "reason": "agree"}
    )
    assert refused.status_code == 403 and "another officer" in refused.json()["message"]
    assert (
        supervisor2.send(
            "POST", DECISIONS, {"hit_ids": [own], "action": "approve", "reason": "agree"}
        ).json()[0]["status"]
        == "confirmed"
    )


def test_send_back_and_reopen(
    world: World, officers: dict[str, Officer], high_needs_second_review: None
) -> None:
    (hit,) = world.flight(high=1).high
    analyst, supervisor = officers["analyst"], officers["supervisor"]
    dispose = {"hit_ids": [hit], "action": "dispose", "disposition": "false_positive"}
    assert analyst.send("POST", DECISIONS, {**dispose, "reason": "twin"}).status_code == 200
    assert _decide(supervisor, hit, "send_back").status_code == 409  # no reason
    assert _decide(supervisor, hit, "send_back", reason="check the visa").status_code == 303
    back = _hit(analyst, hit)
    assert (back["review_state"], back["assignee"]) == ("in_review", "analyst")
    assert "check the visa" in analyst.get(f"/hits/{hit}").text
    assert (
        analyst.send("POST", DECISIONS, {**dispose, "reason": "visa differs"}).json()[0]["state"]
        == "second_review"
    )
    assert _decide(officers["supervisor2"], hit, "approve", reason="ok").status_code == 303
    assert _hit(analyst, hit)["status"] == "false_positive"
    # Reopening takes a supervisor and a reason.
    assert _decide(analyst, hit, "reopen", reason="new information").status_code == 403
    assert _decide(supervisor, hit, "reopen").status_code == 409
    assert _decide(supervisor, hit, "reopen", reason="new information").status_code == 303
    reopened = _hit(supervisor, hit)
    assert (reopened["review_state"], reopened["status"]) == ("in_review", "open")


def test_a_reopened_confirmation_leaves_the_lookout(
    world: World, officers: dict[str, Officer]
) -> None:
    (hit,) = world.flight(medium=1).medium
    supervisor = officers["supervisor"]
    body = {"hit_ids": [hit], "action": "dispose", "disposition": "confirmed", "reason": "same"}
    assert supervisor.send("POST", DECISIONS, body).status_code == 200
    assert hit in _lookout_hits(officers["port_officer"])
    reopen = {"hit_ids": [hit], "action": "reopen", "reason": "the airline corrected the name"}
    assert supervisor.send("POST", DECISIONS, reopen).status_code == 200
    # The confirmation no longer stands: the port must not act on it.
    assert hit not in _lookout_hits(officers["port_officer"])
    assert _hit(supervisor, hit)["lookout"] is None
    cleared = {**body, "disposition": "false_positive", "reason": "not the person"}
    assert supervisor.send("POST", DECISIONS, cleared).status_code == 200
    assert hit not in _lookout_hits(supervisor)
    # Confirmed again, the traveller is back on the lookout.
    again = {"hit_ids": [hit], "action": "reopen", "reason": "new evidence"}
    assert supervisor.send("POST", DECISIONS, again).status_code == 200
    assert supervisor.send("POST", DECISIONS, {**body, "reason": "it is"}).status_code == 200
    assert hit in _lookout_hits(officers["port_officer"])


def test_bulk_actions(world: World, officers: dict[str, Officer]) -> None:
    flight = world.flight(medium=4)
    first, second, third, fourth = flight.medium
    supervisor = officers["supervisor"]
    assigned = supervisor.form(
        "/hits/bulk",
        {"action": "assign", "hit_ids": [first, second, third], "assignee": "analyst",
         "back": f"/hits?flight_id={flight.id}"},
    )  # fmt: skip
    assert assigned.status_code == 303
    assert assigned.headers["location"] == f"/hits?flight_id={flight.id}&done=3+assign"
    assert all(_hit(supervisor, h)["assignee"] == "analyst" for h in (first, second, third))

    analyst = officers["analyst"]
    disposed = analyst.form(
        "/hits/bulk",
        {"action": "dispose", "hit_ids": [first, second, third],
         "disposition": "false_positive", "reason": "tour group, dates differ",
         "back": "https://evil.example/"},
    )  # fmt: skip
    assert disposed.status_code == 303 and disposed.headers["location"] == "/hits?done=3+dispose"
    for hit in (first, second, third):
        data = _hit(analyst, hit)
        assert (data["review_state"], data["status"]) == ("closed", "false_positive")
        assert data["decisions"][-1]["reason"] == "tour group, dates differ"

    # All or none: one closed hit in the batch and nothing changes.
    refused = analyst.form(
        "/hits/bulk",
        {"action": "dispose", "hit_ids": [fourth, first], "disposition": "inconclusive",
         "reason": "r"},
    )  # fmt: skip
    assert refused.status_code == 409
    assert _hit(analyst, fourth)["review_state"] == "new"
    assert _hit(analyst, fourth)["decisions"] == []
    nothing = analyst.form("/hits/bulk", {"action": "dispose", "reason": "r"})
    assert nothing.status_code == 422 and "no hit selected" in nothing.text


def test_the_policy_is_for_supervisors(officers: dict[str, Officer]) -> None:
    analyst = officers["analyst"]
    assert analyst.send("PUT", POLICY, {"severities": ["high"]}).status_code == 403
    assert analyst.form("/hits/policy", {"severities": ["high"]}).status_code == 403
    assert analyst.get(POLICY).json() == {"severities": []}
    wrong = officers["supervisor"].send("PUT", POLICY, {"severities": ["urgent"]})
    assert wrong.status_code == 422 and "unknown severity" in wrong.json()["message"]


def test_a_decision_on_a_stale_view_of_the_hit_is_refused(
    world: World, officers: dict[str, Officer], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two officers decide on the same hit at once: the second decision, taken on the
    state both read, must not overwrite the first one."""
    (hit,) = world.flight(medium=1).medium
    with world.store.connect() as conn:
        stale = cases_repo.hit_row(conn, hit)
    first = officers["analyst"].send(
        "POST", DECISIONS,
        {"hit_ids": [hit], "action": "dispose", "disposition": "confirmed", "reason": "same"},
    )  # fmt: skip
    assert first.status_code == 200
    # The second officer read the hit before the first decision was committed.
    monkeypatch.setattr(cases_repo, "hit_row", lambda conn, hit_id: stale)
    second = officers["analyst2"].send(
        "POST", DECISIONS,
        {"hit_ids": [hit], "action": "dispose", "disposition": "false_positive",
         "reason": "not the person"},
    )  # fmt: skip
    monkeypatch.undo()
    assert second.status_code == 409 and "changed by someone else" in second.json()["message"]
    after = _hit(officers["analyst"], hit)
    assert (after["status"], [d["actor"] for d in after["decisions"]]) == (
        "confirmed",
        ["analyst"],
    )
    assert hit in _lookout_hits(officers["port_officer"])
