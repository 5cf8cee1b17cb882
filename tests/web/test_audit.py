"""The audit trail over HTTP: what officers look at, search for, export and decide is
recorded, and only auditors read it (their reading recorded too); nothing edits it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from webkit import PASSWORD, Flight, Officer, World

from firstline.services import access


def _events(auditor: Officer, **filters: str) -> list[dict[str, Any]]:
    answer = auditor.get("/api/v1/audit", params={**filters, "limit": "1000"})
    assert answer.status_code == 200, answer.text
    events: list[dict[str, Any]] = answer.json()["events"]
    return events


def _actions(auditor: Officer, **filters: str) -> list[tuple[str, str]]:
    return [(e["actor"], e["action"]) for e in _events(auditor, **filters)]


@pytest.fixture
def flight(world: World) -> Flight:
    return world.flight(high=1, medium=1)


def test_views_of_personal_data_are_recorded(officers: dict[str, Officer], flight: Flight) -> None:
    analyst, auditor = officers["analyst"], officers["auditor"]
    traveller = str(flight.traveller_ids[0])
    assert analyst.get(f"/travellers/{traveller}").status_code == 200
    assert analyst.get(f"/api/v1/travellers/{traveller}").status_code == 200
    assert analyst.get(f"/api/v1/travellers/{traveller}/network").status_code == 200
    assert analyst.get(f"/hits/{flight.high[0]}").status_code == 200
    assert analyst.get(f"/api/v1/hits/{flight.medium[0]}").status_code == 200
    assert analyst.get(f"/flights/{flight.id}").status_code == 200

    about_traveller = _actions(auditor, object_type="traveller", object_id=traveller)
    assert about_traveller == [
        ("analyst", "view_network"),
        ("analyst", "view_traveller"),
        ("analyst", "view_traveller"),
    ]
    assert _actions(auditor, object_type="hit", object_id=str(flight.high[0])) == [
        ("analyst", "view_hit")
    ]
    assert _actions(auditor, object_type="hit", object_id=str(flight.medium[0])) == [
        ("analyst", "view_hit")
    ]
    (manifest,) = _events(auditor, object_type="flight", object_id=str(flight.id))
    assert (manifest["action"], manifest["detail"]) == ("view_manifest", {"travellers": 3})
    assert manifest["user_id"] is not None and manifest["client"] == "testclient"

    # The same events on the auditor's page.
    page = auditor.get(f"/audit?object_type=traveller&object_id={traveller}")
    assert page.status_code == 200 and page.text.count("<td>view traveller</td>") == 2
    assert page.text.count("<td>view network</td>") == 1


def test_searches_are_recorded_with_terms_and_reason(
    officers: dict[str, Officer], flight: Flight
) -> None:
    analyst, auditor = officers["analyst"], officers["auditor"]
    analyst.get(f"/search?surname={flight.surname}&reason=Case+2026-41")
    analyst.get(f"/api/v1/search?document={flight.document}&reason=tip-off")
    searches = [
        e
        for e in _events(auditor, action="search", user="analyst")
        if flight.surname in str(e["detail"]) or flight.document in str(e["detail"])
    ]
    assert [(e["detail"], e["reason"]) for e in searches] == [
        ({"document": flight.document, "results": 1}, "tip-off"),
        ({"surname": flight.surname, "results": 1}, "Case 2026-41"),
    ]


def test_exports_are_for_supervisors_and_recorded(officers: dict[str, Officer]) -> None:
    auditor = officers["auditor"]
    before = len(_events(auditor, action="export"))
    assert officers["analyst"].get("/hits/export.csv").status_code == 403
    export = officers["supervisor"].get("/hits/export.csv?severity=high")
    assert export.status_code == 200
    rows = export.text.strip().splitlines()
    events = _events(auditor, action="export")
    assert len(events) == before + 1
    (latest, *_) = events
    assert (latest["actor"], latest["object_type"]) == ("supervisor", "hit_queue")
    assert latest["detail"] == {"rows": len(rows) - 1, "state": "open", "severity": "high"}


def test_the_csv_export_carries_no_names(world: World, officers: dict[str, Officer]) -> None:
    flight = world.flight(high=1)
    export = officers["supervisor"].get("/hits/export.csv?state=all&source=watchlist").text
    assert str(flight.high[0]) in {line.split(",")[0] for line in export.splitlines()}
    assert "QUORVAN" not in export and "TESSALY" not in export


def test_decisions_and_notes_are_recorded(officers: dict[str, Officer], flight: Flight) -> None:
    analyst, auditor = officers["analyst"], officers["auditor"]
    hit = flight.medium[0]
    for action in ("assign", "start_review"):
        assert analyst.form(f"/hits/{hit}/decide", {"action": action}).status_code == 303
    decided = analyst.send(
        "POST",
        "/api/v1/hits/decisions",
        {"hit_ids": [hit], "action": "dispose", "disposition": "inconclusive", "reason": "no DOB"},
    )
    assert decided.status_code == 200
    trail = _events(auditor, object_type="hit", object_id=str(hit))
    assert [(e["action"], e["reason"]) for e in trail] == [
        ("hit_dispose", "no DOB"),
        ("hit_start_review", None),
        ("hit_assign", None),
    ]
    assert trail[0]["detail"] == {
        "from": "in_review",
        "to": "closed",
        "disposition": "inconclusive",
        "traveller_id": flight.traveller_ids[1],  # the medium one (after the high one)
    }
    analyst.form(f"/travellers/{flight.clean_traveller}/notes", {"text": "called the airline"})
    assert _actions(auditor, object_type="traveller", object_id=str(flight.clean_traveller)) == [
        ("analyst", "add_note")
    ]


def test_logins_logouts_and_lookout_views_are_recorded(world: World) -> None:
    name = "auditee"
    access.add_user(world.store, name, role="port_officer", password=PASSWORD, port="BBB")
    officer = world.login(name)
    assert officer.form("/logout", {}).status_code == 303
    auditor = world.login("auditor")
    assert _actions(auditor, user=name) == [
        (name, "logout"),
        (name, "view_lookout"),  # the landing page
        (name, "login"),
    ]


def test_only_auditors_read_the_trail_and_their_reading_is_recorded(
    officers: dict[str, Officer],
) -> None:
    auditor = officers["auditor"]
    first = auditor.get("/api/v1/audit?user=auditor&action=view_audit").json()["total"]
    auditor.get("/audit?action=search")
    second = auditor.get("/api/v1/audit?user=auditor&action=view_audit").json()
    # Newest first: the page, then the first API read (a read is recorded after it runs).
    assert second["total"] == first + 2
    assert second["events"][0]["detail"] == {"action": "search"}
    assert second["events"][1]["detail"] == {"user": "auditor", "action": "view_audit"}
    for role in ("analyst", "supervisor", "port_officer", "administrator"):
        assert officers[role].get("/api/v1/audit").status_code == 403
        assert officers[role].get("/audit").status_code == 403


def test_no_route_edits_or_deletes_the_trail(world: World, officers: dict[str, Officer]) -> None:
    methods = {
        (route.path, method)
        for context in iter_route_contexts(world.app.routes)
        if isinstance(route := context.original_route, APIRoute)
        for method in route.methods or ()
    }
    assert {m for p, m in methods if "audit" in p} == {"GET"}
    auditor = officers["auditor"]
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        answer = auditor.client.request(
            method, "/api/v1/audit", headers={"X-CSRF-Token": auditor.csrf}
        )
        assert answer.status_code == 405, method
