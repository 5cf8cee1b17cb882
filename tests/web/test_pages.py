"""Every page renders for a role allowed to open it, with its filters and partials."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from webkit import HIGH, MEDIUM, Flight, Officer, World


@pytest.fixture(scope="module")
def flight(world: World) -> Flight:
    return world.flight(high=1, medium=1)


def _ok(officer: Officer, url: str, *, htmx: bool = False) -> str:
    headers = {"HX-Request": "true"} if htmx else {}
    answer = officer.get(url, headers=headers)
    assert answer.status_code == 200, (url, answer.text[:500])
    assert "no-store" in answer.headers["cache-control"]
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    return answer.text


def test_flights_board_and_manifest(officers: dict[str, Officer], flight: Flight) -> None:
    analyst = officers["analyst"]
    board = _ok(analyst, "/flights")
    assert f'href="/flights/{flight.id}"' in board and "<html" in board
    for query in ("direction=arrivals", "direction=departures", "carrier=ZZ", "with_hits=true",
                  "hours=24"):  # fmt: skip
        _ok(analyst, f"/flights?{query}")
    rows = _ok(analyst, "/flights?with_hits=true", htmx=True)
    assert "<html" not in rows and f"/flights/{flight.id}" in rows
    manifest = _ok(analyst, f"/flights/{flight.id}")
    assert flight.surname in manifest and HIGH[0][0] in manifest
    data = analyst.get(f"/api/v1/flights/{flight.id}").json()
    assert {t["id"] for t in data["travellers"]} == set(flight.traveller_ids)
    assert data["counts"]["passengers"] == 3
    board_json = analyst.get("/api/v1/flights?hours=48").json()
    (row,) = [f for f in board_json["flights"] if f["id"] == flight.id]
    assert row["hits"] == {"high": 1, "medium": 1} and row["passengers"] == 3


def test_a_direction_that_is_not_one_is_refused(officers: dict[str, Officer]) -> None:
    answer = officers["analyst"].get("/api/v1/flights?direction=sideways")
    assert answer.status_code == 422 and answer.json()["error"] == "invalid_request"


def test_traveller_page(officers: dict[str, Officer], flight: Flight) -> None:
    analyst = officers["analyst"]
    page = _ok(analyst, f"/travellers/{flight.clean_traveller}")
    assert flight.surname in page and 'action="/travellers/' in page
    listed = flight.traveller_ids[0]
    page = _ok(analyst, f"/travellers/{listed}")
    assert HIGH[0][0] in page and f"/hits/{flight.high[0]}" in page
    data = analyst.get(f"/api/v1/travellers/{listed}").json()
    assert data["surname"] == HIGH[0][0] and {h["id"] for h in data["hits"]} == {flight.high[0]}
    network = analyst.get(f"/api/v1/travellers/{listed}/network").json()
    assert network["traveller_id"] == listed
    missing = analyst.get("/api/v1/travellers/987654")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert analyst.get("/travellers/987654").status_code == 404


def test_notes_on_a_traveller(officers: dict[str, Officer], flight: Flight) -> None:
    analyst = officers["analyst"]
    url = f"/travellers/{flight.clean_traveller}"
    done = analyst.form(f"{url}/notes", {"text": "spoke to the airline"})
    assert done.status_code == 303 and done.headers["location"] == f"{url}#notes"
    assert "spoke to the airline" in _ok(analyst, url)
    empty = analyst.form(f"{url}/notes", {"text": "   "})
    assert empty.status_code == 422 and "cannot be empty" in empty.text
    added = analyst.send("POST", f"/api/v1{url}/notes", {"text": "via the API"})
    assert added.status_code == 201
    notes = analyst.get(f"/api/v1{url}").json()["notes"]
    assert [n["text"] for n in notes][-2:] == ["spoke to the airline", "via the API"]
    assert notes[-1]["author"] == "analyst"


def test_search(officers: dict[str, Officer], flight: Flight) -> None:
    analyst = officers["analyst"]
    assert "<form" in _ok(analyst, "/search")
    found = _ok(analyst, f"/search?surname={flight.surname.lower()}&reason=case+42")
    assert f"/travellers/{flight.clean_traveller}" in found
    short = _ok(analyst, "/search?surname=P")
    assert "at least two letters" in short
    rows = analyst.get(f"/api/v1/search?surname={flight.surname}").json()
    assert [r["id"] for r in rows] == [flight.clean_traveller]
    by_document = analyst.get(f"/api/v1/search?document={flight.document.lower()}").json()
    assert [r["id"] for r in by_document] == [flight.clean_traveller]
    refused = analyst.get("/api/v1/search")
    assert refused.status_code == 422


def test_hit_queue_with_filters(officers: dict[str, Officer], flight: Flight) -> None:
    analyst = officers["analyst"]
    page = _ok(analyst, "/hits")
    assert f"/hits/{flight.high[0]}" in page and f"/hits/{flight.medium[0]}" in page
    queries = {
        "severity=high": ({flight.high[0]}, {flight.medium[0]}),
        "severity=medium&category=terrorism": ({flight.medium[0]}, {flight.high[0]}),
        f"flight_id={flight.id}&source=watchlist": (set(flight.high + flight.medium), set()),
        "state=all&within_hours=48": (set(flight.high + flight.medium), set()),
        "state=closed": (set(), set(flight.high + flight.medium)),
        "assignee=none&state=new": (set(flight.high + flight.medium), set()),
        "assignee=me": (set(), set(flight.high + flight.medium)),
    }
    for query, (shown, hidden) in queries.items():
        text = _ok(analyst, f"/hits?{query}")
        for hit in shown:
            assert f'href="/hits/{hit}"' in text, query
        for hit in hidden:
            assert f'href="/hits/{hit}"' not in text, query
        data = analyst.get(f"/api/v1/hits?{query.replace('state=all', 'limit=1000')}").json()
        ids = {h["id"] for h in data["hits"]}
        assert shown <= ids and not hidden & ids, query
    partial = _ok(analyst, f"/hits?flight_id={flight.id}", htmx=True)
    assert "<html" not in partial and f"/hits/{flight.high[0]}" in partial
    wrong = analyst.get("/hits?state=sleeping")
    assert wrong.status_code == 422 and "unknown review state" in wrong.text


def test_hit_page(officers: dict[str, Officer], flight: Flight) -> None:
    analyst = officers["analyst"]
    page = _ok(analyst, f"/hits/{flight.medium[0]}")
    assert MEDIUM[0][0] in page and 'name="csrf_token"' in page
    data = analyst.get(f"/api/v1/hits/{flight.medium[0]}").json()
    assert data["review_state"] == "new" and data["decisions"] == [] and data["lookout"] is None
    assert data["explanation"] and data["severity"] == "medium"
    assert analyst.get("/api/v1/hits/987654").status_code == 404


def test_lookout_audit_and_export_pages(officers: dict[str, Officer]) -> None:
    for role, url in (
        ("analyst", "/lookout"),
        ("analyst", "/lookout?pending=true"),
        ("port_officer", "/lookout"),
        ("auditor", "/audit"),
        ("auditor", "/audit?user=analyst&action=view_hit&object_type=hit&offset=0"),
    ):
        _ok(officers[role], url)
    export = officers["supervisor"].get("/hits/export.csv?state=all")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    assert export.text.splitlines()[0].startswith("id,traveller_id,flight_key")


def test_api_docs_and_openapi(world: World, officers: dict[str, Officer]) -> None:
    docs = officers["analyst"].get("/api/docs")
    assert docs.status_code == 200 and "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert officers["analyst"].get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    spec = officers["analyst"].get("/api/openapi.json").json()
    documented = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}
    api = {
        (method, route.path)
        for context in iter_route_contexts(world.app.routes)
        if isinstance(route := context.original_route, APIRoute)
        for method in route.methods or ()
        if route.path.startswith("/api/v1/")
    }
    assert documented == api and len(api) >= 15
    for path, ops in spec["paths"].items():
        for op in ops.values():
            assert op.get("description") or op.get("summary"), path


def test_what_officers_type_is_escaped(officers: dict[str, Officer], flight: Flight) -> None:
    analyst = officers["analyst"]
    url = f"/travellers/{flight.clean_traveller}"
    assert analyst.form(f"{url}/notes", {"text": "<script>alert(1)</script>"}).status_code == 303
    page = analyst.get(url).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    # Filters go back into the page's links encoded, so a value cannot add parameters.
    queue = analyst.get("/hits", params={"category": "a&state=closed"}).text
    assert "category=a%26state%3Dclosed" in queue and "category=a&state=closed" not in queue
    trail = officers["auditor"].get("/audit", params={"user": "x&action=login", "offset": 0})
    assert trail.status_code == 200


def test_a_note_on_no_traveller_is_not_found(officers: dict[str, Officer]) -> None:
    analyst = officers["analyst"]
    missing = analyst.send("POST", "/api/v1/travellers/987654/notes", {"text": "x"})
    assert missing.status_code == 404 and missing.json()["message"] == "no traveller 987654"
    assert analyst.form("/travellers/987654/notes", {"text": "x"}).status_code == 404
