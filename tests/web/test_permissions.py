"""Who may do what, route by route: the expected answer comes from the role's permissions as
the database holds them (roles are data), never from the role's name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from webkit import OTHER_PORT, PORT, ROLES, Officer, World

from firstline.cases.access import Permission


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # the route's path template
    url: str  # with ids filled in
    permission: Permission | None  # None: any logged-in person
    body: Any = None  # a dict is a form, a list holds one JSON body
    ok: int = 200  # the answer when allowed


@dataclass(frozen=True)
class Sample:
    flight: int
    traveller: int
    hit: int
    lookout: int
    surname: str


@pytest.fixture(scope="module")
def sample(world: World, officers: dict[str, Officer]) -> Sample:
    flight = world.flight(high=1, medium=1)
    decided = officers["supervisor"].send(
        "POST",
        "/api/v1/hits/decisions",
        {"hit_ids": flight.medium, "action": "dispose", "disposition": "confirmed", "reason": "r"},
    )
    assert decided.status_code == 200, decided.text
    lookout = next(
        r["id"]
        for r in officers["supervisor"].get("/api/v1/lookout").json()
        if r["hit_id"] == flight.medium[0]
    )
    return Sample(flight.id, flight.clean_traveller, flight.high[0], lookout, flight.surname)


def calls(s: Sample) -> list[Call]:
    approve = {"action": "approve", "reason": "agreed", "hit_ids": [s.hit]}
    return [
        Call("GET", "/", "/", None, ok=303),
        Call("GET", "/flights", "/flights", Permission.VIEW_FLIGHTS),
        Call("GET", "/flights/{flight_id}", f"/flights/{s.flight}", Permission.VIEW_FLIGHTS),
        Call("GET", "/api/v1/flights", "/api/v1/flights", Permission.VIEW_FLIGHTS),
        Call(
            "GET",
            "/api/v1/flights/{flight_id}",
            f"/api/v1/flights/{s.flight}",
            Permission.VIEW_FLIGHTS,
        ),
        Call(
            "GET",
            "/travellers/{traveller_id}",
            f"/travellers/{s.traveller}",
            Permission.VIEW_TRAVELLERS,
        ),
        Call(
            "GET",
            "/api/v1/travellers/{traveller_id}",
            f"/api/v1/travellers/{s.traveller}",
            Permission.VIEW_TRAVELLERS,
        ),
        Call(
            "GET",
            "/api/v1/travellers/{traveller_id}/network",
            f"/api/v1/travellers/{s.traveller}/network",
            Permission.VIEW_TRAVELLERS,
        ),
        Call(
            "POST",
            "/travellers/{traveller_id}/notes",
            f"/travellers/{s.traveller}/notes",
            Permission.WRITE_NOTES,
            {"text": "checked"},
            303,
        ),
        Call(
            "POST",
            "/api/v1/travellers/{traveller_id}/notes",
            f"/api/v1/travellers/{s.traveller}/notes",
            Permission.WRITE_NOTES,
            [{"text": "checked"}],
            201,
        ),
        Call("GET", "/search", f"/search?surname={s.surname}", Permission.SEARCH),
        Call("GET", "/api/v1/search", f"/api/v1/search?surname={s.surname}", Permission.SEARCH),
        Call("GET", "/hits", "/hits", Permission.VIEW_HITS),
        Call("GET", "/hits/{hit_id}", f"/hits/{s.hit}", Permission.VIEW_HITS),
        Call("GET", "/api/v1/hits", "/api/v1/hits", Permission.VIEW_HITS),
        Call("GET", "/api/v1/hits/{hit_id}", f"/api/v1/hits/{s.hit}", Permission.VIEW_HITS),
        Call(
            "GET",
            "/api/v1/policy/second-review",
            "/api/v1/policy/second-review",
            Permission.VIEW_HITS,
        ),  # fmt: skip
        Call(
            "GET",
            "/api/v1/statistics/outcomes",
            "/api/v1/statistics/outcomes",
            Permission.VIEW_HITS,
        ),  # fmt: skip
        Call("GET", "/hits/export.csv", "/hits/export.csv", Permission.EXPORT),
        # Approving a new hit: allowed only with a second review, and then the wrong state.
        Call(
            "POST",
            "/hits/{hit_id}/decide",
            f"/hits/{s.hit}/decide",
            Permission.SECOND_REVIEW,
            {"action": "approve", "reason": "agreed"},
            409,
        ),
        Call("POST", "/hits/bulk", "/hits/bulk", Permission.SECOND_REVIEW, approve, 409),
        Call(
            "POST",
            "/api/v1/hits/decisions",
            "/api/v1/hits/decisions",
            Permission.SECOND_REVIEW,
            [approve],
            409,
        ),
        # The policy set to what it is (the tests that change it restore it).
        Call(
            "POST",
            "/hits/policy",
            "/hits/policy",
            Permission.MANAGE_SETTINGS,
            {"severities": []},
            303,
        ),  # fmt: skip
        Call(
            "PUT",
            "/api/v1/policy/second-review",
            "/api/v1/policy/second-review",
            Permission.MANAGE_SETTINGS,
            [{"severities": []}],
        ),  # fmt: skip
        Call("GET", "/lookout", "/lookout", Permission.VIEW_LOOKOUT),
        Call("GET", "/api/v1/lookout", "/api/v1/lookout", Permission.VIEW_LOOKOUT),
        # An unknown outcome: allowed only to record outcomes, and then invalid.
        Call(
            "POST",
            "/lookout/{lookout_id}/outcome",
            f"/lookout/{s.lookout}/outcome",
            Permission.RECORD_OUTCOME,
            {"outcome": "party"},
            422,
        ),
        Call(
            "POST",
            "/api/v1/lookout/{lookout_id}/outcome",
            f"/api/v1/lookout/{s.lookout}/outcome",
            Permission.RECORD_OUTCOME,
            [{"outcome": "party"}],
            422,
        ),
        Call("GET", "/audit", "/audit", Permission.VIEW_AUDIT),
        Call("GET", "/api/v1/audit", "/api/v1/audit", Permission.VIEW_AUDIT),
        Call("GET", "/api/docs", "/api/docs", None),
    ]


PLACEHOLDER = Sample(0, 0, 0, 0, "X")
IDS = [f"{c.method} {c.path}" for c in calls(PLACEHOLDER)]


# The routers of the analyst's workplace (other sections have their own tests).
WORKPLACE = {
    f"firstline.web.routes.{name}"
    for name in ("auth", "flights", "travellers", "hits", "lookout", "audit", "docs")
}


def test_the_matrix_covers_every_route(world: World) -> None:
    routes = {
        (method, route.path)
        for context in iter_route_contexts(world.app.routes)
        if isinstance(route := context.original_route, APIRoute)
        and route.endpoint.__module__ in WORKPLACE
        for method in route.methods or ()
    }
    covered = {(c.method, c.path) for c in calls(PLACEHOLDER)}
    # The login pages are for everyone; logging out is for everyone logged in (test_auth).
    left = {(m, p) for m, p in routes - covered if not p.startswith("/login")}
    assert left == {("POST", "/logout")}


def _call(officer: Officer, call: Call) -> Any:
    if isinstance(call.body, list):
        return officer.send(call.method, call.url, call.body[0])
    if call.body is not None:
        return officer.form(call.url, call.body)
    return officer.get(call.url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(len(IDS)), ids=IDS)
def test_permission_matrix(
    world: World, officers: dict[str, Officer], sample: Sample, role: str, index: int
) -> None:
    call = calls(sample)[index]
    allowed = call.permission is None or call.permission.value in world.permissions[role]
    answer = _call(officers[role], call)
    if allowed:
        assert answer.status_code == call.ok, (role, call.url, answer.text[:300])
        return
    assert answer.status_code == 403, (role, call.url, answer.text[:300])
    if call.path.startswith("/api/"):
        assert answer.json()["error"] == "permission_denied"
    else:
        assert "text/html" in answer.headers["content-type"]


def test_each_role_lands_where_its_work_is(officers: dict[str, Officer]) -> None:
    landing = {r: officers[r].get("/").headers["location"] for r in ROLES}
    assert landing == {
        "analyst": "/hits",
        "supervisor": "/hits",
        "port_officer": "/lookout",
        "administrator": "/flights",
        "auditor": "/audit",
    }


MENU = {
    "/flights": Permission.VIEW_FLIGHTS,
    "/hits": Permission.VIEW_HITS,
    "/lookout": Permission.VIEW_LOOKOUT,
    "/search": Permission.SEARCH,
    "/audit": Permission.VIEW_AUDIT,
}


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_shows_only_what_the_role_may_open(
    world: World, officers: dict[str, Officer], role: str
) -> None:
    officer = officers[role]
    page = officer.get(officer.get("/").headers["location"])
    nav = re.search(r"<nav>(.*?)</nav>", page.text, re.S)
    assert page.status_code == 200 and nav
    links = set(re.findall(r'href="(/[^"?#]*)', nav.group(1)))
    for link, permission in MENU.items():
        assert (link in links) is (permission.value in world.permissions[role]), (role, link)
    for link in links:  # and every link in it opens
        assert officer.get(link).status_code in (200, 303), (role, link)


# -- what each role sees ----------------------------------------------------------------------


def test_port_officers_see_only_their_ports_lookout(
    world: World, officers: dict[str, Officer]
) -> None:
    here = world.flight(medium=1, destination=PORT)
    there = world.flight(medium=1, destination=OTHER_PORT)
    supervisor = officers["supervisor"]
    for flight in (here, there):
        decided = supervisor.send(
            "POST",
            "/api/v1/hits/decisions",
            {
                "hit_ids": flight.medium,
                "action": "dispose",
                "disposition": "confirmed",
                "reason": "r",
            },
        )
        assert decided.status_code == 200
    wanted = {here.medium[0]: PORT, there.medium[0]: OTHER_PORT}

    def seen(officer: Officer, query: str = "") -> dict[int, str]:
        rows = officer.get(f"/api/v1/lookout{query}").json()
        return {r["hit_id"]: r["port"] for r in rows if r["hit_id"] in wanted}

    assert seen(supervisor) == wanted
    assert seen(supervisor, f"?port={OTHER_PORT.lower()}") == {there.medium[0]: OTHER_PORT}
    assert seen(officers["port_officer"]) == {here.medium[0]: PORT}
    assert seen(officers["port_officer"], f"?port={OTHER_PORT}") == {here.medium[0]: PORT}
    assert seen(officers["port_ccc"]) == {there.medium[0]: OTHER_PORT}
    assert {r["port"] for r in officers["port_officer"].get("/api/v1/lookout").json()} == {PORT}
    page = officers["port_officer"].get(f"/lookout?port={OTHER_PORT}").text
    assert here.surname not in page  # (clean travellers are not on the lookout)


@pytest.mark.parametrize("role", ["administrator", "port_officer"])
def test_no_traveller_data_for_administrators_and_port_officers(
    world: World, officers: dict[str, Officer], sample: Sample, role: str
) -> None:
    officer = officers[role]
    flight = officer.get(f"/api/v1/flights/{sample.flight}").json()
    assert flight["travellers"] == [] and flight["counts"]["passengers"] == 0
    page = officer.get(f"/flights/{sample.flight}")
    assert page.status_code == 200 and sample.surname not in page.text
    board = officer.get("/api/v1/flights?hours=48").json()
    assert sample.surname not in str(board)
    for url in (
        f"/api/v1/travellers/{sample.traveller}",
        f"/api/v1/search?surname={sample.surname}",
        f"/api/v1/hits/{sample.hit}",
        "/api/v1/hits",
    ):
        assert officer.get(url).status_code == 403, url


def test_auditors_read_only_the_audit_trail(officers: dict[str, Officer], sample: Sample) -> None:
    auditor = officers["auditor"]
    assert auditor.get("/api/v1/audit").status_code == 200
    for url in (
        "/api/v1/flights",
        f"/api/v1/flights/{sample.flight}",
        f"/api/v1/travellers/{sample.traveller}",
        "/api/v1/hits",
        "/api/v1/lookout",
        "/hits/export.csv",
    ):
        assert auditor.get(url).status_code == 403, url
