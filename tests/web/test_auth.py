"""Who gets in: the login form, sessions, cookies, CSRF, throttling, logout, API tokens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import count
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from webkit import LOGIN_CSRF, PASSWORD, PORT, Officer, World

from firstline.services import access
from firstline.settings import Settings
from firstline.store.tables import audit_events, hit_decisions, notes
from firstline.web import create_app
from firstline.web.deps import SESSION_COOKIE, UNSAFE, current_actor

_names = count()


def _routes(world: World) -> Iterator[tuple[str, str, APIRoute]]:
    """(method, path, route) of every route of the app, included routers flattened."""
    for context in iter_route_contexts(world.app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            for method in sorted(route.methods or ()):
                yield method, route.path, route


# The routers of the analyst's workplace (other sections have their own tests).
WORKPLACE = {
    f"firstline.web.routes.{name}"
    for name in ("auth", "flights", "travellers", "hits", "lookout", "audit", "docs")
}


def _public(method: str, path: str) -> bool:
    """The login pages (password and single sign-on), the language switch (a cookie, no
    data) and the API's documentation."""
    return path.startswith(("/login", "/language/")) or (method, path) == ("GET", "/api/docs")


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _login_form(client: httpx.Client) -> str:
    found = LOGIN_CSRF.search(client.get("/login").text)
    assert found
    return found.group(1)


def _user(world: World, role: str = "analyst") -> str:
    """A new account of its own (throttling and logouts must not disturb other tests)."""
    name = f"{role}-auth-{next(_names)}"
    access.add_user(world.store, name, role=role, password=PASSWORD, port=PORT)
    return name


# -- unauthenticated ------------------------------------------------------------------------


def test_pages_redirect_to_the_login_and_the_api_answers_401(world: World) -> None:
    client = world.client()
    seen = 0
    for method, path, _route in _routes(world):
        if _public(method, path):
            continue
        url = _concrete(path)
        answer = client.request(method, url)
        seen += 1
        if path.startswith("/api/"):
            assert answer.status_code == 401, (method, url)
            assert answer.json()["error"] == "not_authenticated"
            assert answer.headers["www-authenticate"] == "Bearer"
        elif method == "GET":
            assert answer.status_code == 303, (method, url)
            assert answer.headers["location"] == f"/login?next={quote(url)}"
        else:
            assert answer.status_code == 401, (method, url)
            assert "text/html" in answer.headers["content-type"]
    assert seen > 25


def test_the_redirect_keeps_the_query(world: World) -> None:
    answer = world.client().get("/hits?severity=high&state=all")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=" + quote("/hits?severity=high&state=all")


def test_a_made_up_session_or_token_is_refused(world: World) -> None:
    client = world.client(cookies={SESSION_COOKIE: "made-up"})
    assert client.get("/hits").status_code == 303
    assert client.get("/api/v1/hits").status_code == 401
    bearer = world.client(headers={"Authorization": "Bearer fl_made_up"})
    assert bearer.get("/api/v1/hits").json()["error"] == "not_authenticated"


# -- the login form -------------------------------------------------------------------------


def test_login_sets_a_strict_http_only_session_cookie_and_goes_next(world: World) -> None:
    name = _user(world)
    client = world.client()
    token = _login_form(client)
    done = client.post(
        "/login",
        data={"username": name, "password": PASSWORD, "csrf_token": token, "next": "/flights"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/flights"
    cookie = next(
        c for c in done.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "=")
    )
    attributes = {a.strip().lower() for a in cookie.split(";")}
    assert "httponly" in attributes and "samesite=strict" in attributes
    assert "secure" not in attributes  # development over plain HTTP
    assert client.get("/flights").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_login_never_redirects_off_site(world: World, target: str) -> None:
    name = _user(world)
    client = world.client()
    token = _login_form(client)
    done = client.post(
        "/login", data={"username": name, "password": PASSWORD, "csrf_token": token, "next": target}
    )
    assert done.status_code == 303 and done.headers["location"] == "/"


def test_the_session_cookie_is_secure_in_production(world: World) -> None:
    settings = Settings(
        database_url=world.url, environment="production", card_key="a-production-card-key"
    )
    app = create_app(settings, world.store)
    name = _user(world)
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    form = client.get("/login")
    assert "secure" in form.headers["set-cookie"].lower()
    found = LOGIN_CSRF.search(form.text)
    assert found
    done = client.post(
        "/login", data={"username": name, "password": PASSWORD, "csrf_token": found.group(1)}
    )
    assert done.status_code == 303
    cookie = next(
        c for c in done.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "=")
    )
    attributes = {a.strip().lower() for a in cookie.split(";")}
    assert {"secure", "httponly", "samesite=strict"} <= attributes
    # Secure even when a proxy speaks plain HTTP to the app.
    plain = TestClient(app, follow_redirects=False)
    assert "secure" in plain.get("/login").headers["set-cookie"].lower()


@pytest.mark.parametrize("case", ["missing", "wrong", "no cookie"])
def test_the_login_form_needs_its_double_submit_token(world: World, case: str) -> None:
    name = _user(world)
    client = world.client()
    token = _login_form(client)
    data = {"username": name, "password": PASSWORD}
    if case == "wrong":
        data["csrf_token"] = token[::-1]
    elif case == "no cookie":
        data["csrf_token"] = token
        client.cookies.clear()
    refused = client.post("/login", data=data)
    assert refused.status_code == 403
    assert "login form has expired" in refused.text
    assert SESSION_COOKIE not in refused.headers.get("set-cookie", "")
    # A fresh form token comes with the refusal, and works.
    found = LOGIN_CSRF.search(refused.text)
    assert found
    again = client.post(
        "/login", data={"username": name, "password": PASSWORD, "csrf_token": found.group(1)}
    )
    assert again.status_code == 303


def test_a_wrong_password_shows_the_form_again(world: World) -> None:
    name = _user(world)
    client = world.client()
    token = _login_form(client)
    wrong = client.post(
        "/login", data={"username": name, "password": "not the password", "csrf_token": token}
    )
    assert wrong.status_code == 401 and "wrong password" in wrong.text
    assert SESSION_COOKIE not in wrong.headers.get("set-cookie", "")


def test_login_is_throttled_after_five_failures(world: World) -> None:
    name = _user(world)
    client = world.client(client=("10.77.0.1", 40000))
    for _ in range(access.ACCOUNT_FAILURES):
        token = _login_form(client)
        wrong = client.post(
            "/login", data={"username": name, "password": "not the password", "csrf_token": token}
        )
        assert wrong.status_code == 401
    token = _login_form(client)
    throttled = client.post(
        "/login", data={"username": name, "password": PASSWORD, "csrf_token": token}
    )
    assert throttled.status_code == 429 and "too many failed attempts" in throttled.text
    assert SESSION_COOKIE not in throttled.headers.get("set-cookie", "")


# -- logout ---------------------------------------------------------------------------------


def test_logout_ends_the_session(world: World) -> None:
    officer = world.login(_user(world))
    cookie = officer.client.cookies[SESSION_COOKIE]
    refused = officer.form("/logout", {}, token=False)
    assert refused.status_code == 403  # a cross-site form cannot log anyone out
    done = officer.form("/logout", {})
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert SESSION_COOKIE not in officer.client.cookies
    stolen = world.client(cookies={SESSION_COOKIE: cookie})
    assert stolen.get("/hits").status_code == 303
    assert stolen.get("/api/v1/hits").status_code == 401


# -- CSRF -----------------------------------------------------------------------------------


def test_every_unsafe_route_depends_on_current_actor(world: World) -> None:
    """So that no form or API write escapes the CSRF check (only the login form, which has
    its own double-submit token)."""

    def calls(dependant: Dependant) -> Iterator[Any]:
        for sub in dependant.dependencies:
            yield sub.call
            yield from calls(sub)

    unsafe = [(m, p, r) for m, p, r in _routes(world) if m in UNSAFE]
    assert len(unsafe) >= 10
    for method, path, route in unsafe:
        if (method, path) == ("POST", "/login"):
            assert current_actor not in set(calls(route.dependant))
            continue
        assert current_actor in set(calls(route.dependant)), (method, path)


def _writes(world: World, officers: dict[str, Officer]) -> list[tuple[str, str, str, Any, int]]:
    """(account, method, url, body, success status) of every unsafe route but the login and
    logout; forms are dicts, JSON bodies are in a one-element list."""
    flight = world.flight(medium=5)
    confirmed = flight.medium[3:]
    supervisor = officers["supervisor"]
    decided = supervisor.send(
        "POST",
        "/api/v1/hits/decisions",
        {"hit_ids": confirmed, "action": "dispose", "disposition": "confirmed", "reason": "r"},
    )
    assert decided.status_code == 200, decided.text
    by_hit = {r["hit_id"]: r["id"] for r in supervisor.get("/api/v1/lookout").json()}
    lookout, other_lookout = (by_hit[h] for h in confirmed)
    policy = supervisor.get("/api/v1/policy/second-review").json()["severities"]
    traveller = flight.clean_traveller
    a, b, c = flight.medium[:3]
    return [
        ("supervisor", "POST", f"/travellers/{traveller}/notes", {"text": "seen"}, 303),
        ("supervisor", "POST", f"/api/v1/travellers/{traveller}/notes", [{"text": "seen"}], 201),
        ("supervisor", "POST", "/hits/bulk", {"action": "assign", "hit_ids": [a]}, 303),
        ("supervisor", "POST", f"/hits/{b}/decide", {"action": "start_review"}, 303),
        ("supervisor", "POST", "/hits/policy", {"severities": policy}, 303),
        (
            "supervisor",
            "POST",
            "/api/v1/hits/decisions",
            [{"hit_ids": [c], "action": "assign", "assignee": "analyst"}],
            200,
        ),
        ("supervisor", "PUT", "/api/v1/policy/second-review", [{"severities": policy}], 200),
        ("port_officer", "POST", f"/lookout/{lookout}/outcome", {"outcome": "other"}, 303),
        (
            "port_officer",
            "POST",
            f"/api/v1/lookout/{other_lookout}/outcome",
            [{"outcome": "other"}],
            200,
        ),
    ]


def _count(world: World, table: Any) -> int:
    with world.store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _request(officer: Officer, method: str, url: str, body: Any, token: bool) -> httpx.Response:
    if isinstance(body, list):
        return officer.send(method, url, body[0], token=token)
    assert method == "POST"
    return officer.form(url, body, token=token)


def test_writes_with_a_session_need_its_csrf_token(
    world: World, officers: dict[str, Officer]
) -> None:
    writes = _writes(world, officers)
    covered = {(m, re.sub(r"/\d+", "/{}", u)) for _, m, u, _, _ in writes}
    expected = {
        (m, re.sub(r"\{[^}]+\}", "{}", p))
        for m, p, route in _routes(world)
        if m in UNSAFE and p not in ("/login", "/logout") and route.endpoint.__module__ in WORKPLACE
    }
    assert expected == covered
    for account, method, url, body, status in writes:
        officer = officers[account]
        before = (_count(world, hit_decisions), _count(world, notes))
        refused = _request(officer, method, url, body, token=False)
        assert refused.status_code == 403, (method, url, refused.text)
        assert "did not come from firstline" in refused.text
        assert (_count(world, hit_decisions), _count(world, notes)) == before
        wrong = Officer(officer.username, officer.client, officer.csrf[::-1])
        assert _request(wrong, method, url, body, token=True).status_code == 403
        done = _request(officer, method, url, body, token=True)
        assert done.status_code == status, (method, url, done.text)


def test_no_unsafe_route_takes_a_session_request_without_the_token(
    world: World, officers: dict[str, Officer]
) -> None:
    """Every section's writes, this feature's and the others': refused before anything
    else is looked at."""
    supervisor = officers["supervisor"]
    unsafe = [(m, p) for m, p, _ in _routes(world) if m in UNSAFE and not p.startswith("/login")]
    for method, path in unsafe:
        answer = supervisor.client.request(method, _concrete(path))
        assert answer.status_code == 403, (method, path, answer.text[:200])
        assert "did not come from firstline" in answer.text, (method, path)


def test_a_json_write_with_a_session_is_refused_without_the_header(
    world: World, officers: dict[str, Officer]
) -> None:
    flight = world.flight(medium=1)
    analyst = officers["analyst"]
    body = {"hit_ids": flight.medium, "action": "assign"}
    refused = analyst.send("POST", "/api/v1/hits/decisions", body, token=False)
    assert refused.status_code == 403 and refused.json()["error"] == "csrf_failed"
    # Another session's token is no good either.
    other = officers["analyst2"].csrf
    header = {"X-CSRF-Token": other}
    wrong = analyst.client.post("/api/v1/hits/decisions", json=body, headers=header)
    assert wrong.status_code == 403
    assert analyst.send("POST", "/api/v1/hits/decisions", body).status_code == 200


def test_a_bearer_token_needs_no_csrf_token(world: World) -> None:
    flight = world.flight(medium=1)
    token = access.add_token(world.store, "analyst", "risk-engine")
    client = world.client(headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/v1/hits").status_code == 200
    done = client.post(
        "/api/v1/hits/decisions", json={"hit_ids": flight.medium, "action": "start_review"}
    )
    assert done.status_code == 200 and done.json()[0]["state"] == "in_review"
    with world.store.connect() as conn:
        actor = conn.execute(
            select(audit_events.c.actor)
            .where(audit_events.c.action == "hit_start_review")
            .where(audit_events.c.object_id == str(flight.medium[0]))
        ).scalar_one()
    assert actor == "analyst"
    note = client.post(f"/api/v1/travellers/{flight.clean_traveller}/notes", json={"text": "x"})
    assert note.status_code == 201
