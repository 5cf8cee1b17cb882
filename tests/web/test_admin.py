"""Administration over HTTP: accounts, roles, tokens, quarantine and re-processing, message
delivery, settings and retention, each with who may use it (on SQLite and PostgreSQL).

The quarantined messages come from a reader with a bug (it raises, as a parser crash would)
during ingest; the real reader is the fixed parser that re-processing uses. See
tests/services/test_quarantine.py for the full argument.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from factory import Person, paxlst
from sqlalchemy import select
from webkit import World

from firstline.services import ingest as ingest_service
from firstline.services.ingest import ingest_delivery, make_delivery
from firstline.store.tables import audit_events, messages

_numbers = itertools.count(1)
PAGES = {
    # url: permission needed (any of)
    "/admin": ("users:manage", "quarantine:view", "messages:view", "settings:manage"),
    "/admin/users": ("users:manage",),
    "/admin/roles": ("users:manage",),
    "/admin/quarantine": ("quarantine:view",),
    "/admin/delivery": ("messages:view",),
    "/admin/settings": ("users:manage", "settings:manage"),
    "/api/v1/admin/users": ("users:manage",),
    "/api/v1/admin/roles": ("users:manage",),
    "/api/v1/admin/tokens": ("users:manage",),
    "/api/v1/admin/quarantine": ("quarantine:view",),
    "/api/v1/admin/delivery": ("messages:view",),
    "/api/v1/admin/settings": ("users:manage", "settings:manage"),
    "/api/v1/admin/retention": ("users:manage", "settings:manage"),
}
TOKEN = re.compile(r'<code class="mono">(fl_[^<]+)</code>')


def _events(world: World, action: str) -> list[Any]:
    with world.store.connect() as conn:
        return list(conn.execute(select(audit_events).where(audit_events.c.action == action)))


def _quarantined(world: World, raw: bytes, monkeypatch: pytest.MonkeyPatch) -> int:
    """Ingest `raw` with a reader that crashes: quarantined as an internal error."""

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise IndexError("list index out of range")

    with monkeypatch.context() as patch:
        patch.setattr(ingest_service, "read_message", crash)
        outcome = ingest_delivery(world.store, make_delivery(raw, "feed/admin-test.edi"))
    assert outcome.status == "quarantined"
    return outcome.message_id


def _passengers(n: int) -> bytes:
    return paxlst(
        [Person(f"ADMINTESTER{'ABCDEFGHIJ'[n % 10]}", reference="A1")],
        flight=f"QA{n}",
        carrier="QA",
        reference=f"QA{n}",
    )


@pytest.mark.parametrize("url", list(PAGES))
@pytest.mark.parametrize(
    "role", ["administrator", "supervisor", "analyst", "auditor", "port_officer"]
)
def test_who_may_open_each_page(
    world: World, officers: dict[str, Any], url: str, role: str
) -> None:
    allowed = any(p in world.permissions[role] for p in PAGES[url])
    answer = officers[role].get(url)
    assert answer.status_code == (200 if allowed else 403), (role, url, answer.text[:200])


@pytest.mark.parametrize("url", list(PAGES))
def test_nobody_logged_in_is_sent_to_the_login(world: World, url: str) -> None:
    answer = world.client().get(url)
    if url.startswith("/api/"):
        assert answer.status_code == 401
    else:
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login?next=")


def test_the_administration_is_in_the_navigation(officers: dict[str, Any]) -> None:
    assert 'href="/admin"' in officers["administrator"].get("/admin/users").text
    assert 'href="/admin"' not in officers["analyst"].get("/flights").text


def test_create_disable_enable_and_reset_an_account(world: World, officers: dict[str, Any]) -> None:
    admin = officers["administrator"]
    name = f"newcomer{next(_numbers)}"
    form = {"username": name, "role": "analyst", "password": "long enough pass", "port": ""}
    assert admin.form("/admin/users", form, token=False).status_code == 403  # CSRF
    short = admin.form("/admin/users", {**form, "password": "short"})
    assert short.status_code == 303 and "at+least+10" in short.headers["location"]
    done = admin.form("/admin/users", form)
    assert done.status_code == 303 and "error" not in done.headers["location"]
    page = admin.get("/admin/users").text
    assert f'<td class="mono">{name}</td>' in page
    assert any(e.object_id == name for e in _events(world, "add_user"))

    assert admin.form(f"/admin/users/{name}/active", {"active": "false"}).status_code == 303
    with pytest.raises(AssertionError):  # a disabled account cannot log in
        world.login_without_landing(name)
    admin.form(f"/admin/users/{name}/active", {"active": "true"})
    admin.form(f"/admin/users/{name}/password", {"password": "correct horse battery"})
    assert world.login_without_landing(name).username == name
    assert any(e.object_id == name for e in _events(world, "reset_password"))
    mine = admin.form("/admin/users/administrator/active", {"active": "false"})
    assert "cannot+disable+your+own" in mine.headers["location"]


def test_accounts_over_the_api(world: World, officers: dict[str, Any]) -> None:
    admin = officers["administrator"]
    name = f"apiuser{next(_numbers)}"
    body = {"username": name, "role": "auditor", "password": "long enough pass"}
    assert admin.send("POST", "/api/v1/admin/users", body, token=False).status_code == 403
    made = admin.send("POST", "/api/v1/admin/users", body)
    assert made.status_code == 201, made.text
    changed = admin.send("PATCH", f"/api/v1/admin/users/{name}", {"active": False})
    assert changed.status_code == 200
    found = {u["username"]: u for u in admin.get("/api/v1/admin/users").json()}
    assert found[name]["active"] is False and "password_hash" not in found[name]


def test_role_permissions_change_and_the_last_manager_is_kept(
    world: World, officers: dict[str, Any]
) -> None:
    admin, auditor = officers["administrator"], officers["auditor"]
    assert auditor.get("/admin/delivery").status_code == 403
    before = sorted(world.permissions["auditor"])
    done = admin.form("/admin/roles/auditor", {"permissions": [*before, "messages:view"]})
    assert done.status_code == 303 and "error" not in done.headers["location"]
    try:
        assert auditor.get("/admin/delivery").status_code == 200  # at the next request
        page = admin.get("/admin/roles").text
        assert 'aria-label="auditor messages:view" checked' in page
    finally:
        admin.form("/admin/roles/auditor", {"permissions": before})
    assert auditor.get("/admin/delivery").status_code == 403
    assert any(e.object_id == "auditor" for e in _events(world, "change_role"))

    keep = sorted(p for p in world.permissions["administrator"] if p != "users:manage")
    refused = admin.form("/admin/roles/administrator", {"permissions": keep})
    assert "last+role+that+may+manage+users" in refused.headers["location"]
    shown = admin.get(refused.headers["location"]).text
    assert "administrator is the last role that may manage users" in shown
    api = admin.send("PUT", "/api/v1/admin/roles/administrator", {"permissions": keep})
    assert api.status_code == 422
    assert admin.get("/admin/users").status_code == 200  # still an administrator


def test_an_api_token_is_shown_once_and_can_be_revoked(
    world: World, officers: dict[str, Any]
) -> None:
    admin = officers["administrator"]
    page = admin.form("/admin/tokens", {"username": "administrator", "name": "border system"})
    assert page.status_code == 200
    found = TOKEN.search(page.text)
    assert found
    token = found.group(1)
    bearer = {"Authorization": f"Bearer {token}"}
    assert world.client().get("/api/v1/admin/users", headers=bearer).status_code == 200
    assert token not in admin.get("/admin/users").text  # never shown again
    listed = [t for t in admin.get("/api/v1/admin/tokens").json() if t["name"] == "border system"]
    token_id = listed[-1]["id"]
    assert admin.form(f"/admin/tokens/{token_id}/revoke", {}).status_code == 303
    assert world.client().get("/api/v1/admin/users", headers=bearer).status_code == 401
    assert any(e.object_id == str(token_id) for e in _events(world, "revoke_token"))


def test_quarantine_shows_the_reason_and_escaped_content(
    world: World, officers: dict[str, Any]
) -> None:
    raw = b"<script>alert('x')</script> not a message at all"
    outcome = ingest_delivery(world.store, make_delivery(raw, "feed/garbage.txt"))
    assert outcome.status == "quarantined"
    admin = officers["administrator"]
    listing = admin.get("/admin/quarantine").text
    assert f'href="/admin/quarantine/{outcome.message_id}"' in listing
    page = admin.get(f"/admin/quarantine/{outcome.message_id}").text
    assert "&lt;script&gt;alert(" in page and "<script>alert" not in page
    # Sniffed as XML (it starts with "<"): where the XML reader gave up, precisely.
    assert "no PNR element: the XML has no single root element" in page
    assert '<span class="muted">line 1</span>' in page
    reasons = admin.get("/api/v1/admin/quarantine").json()["reasons"]
    kind = next(r["reason"] for r in reasons if r["reason"].startswith("no PNR element"))
    filtered = admin.get("/api/v1/admin/quarantine", params={"reason": kind}).json()
    assert outcome.message_id in [m["id"] for m in filtered["messages"]]
    assert officers["analyst"].get(f"/admin/quarantine/{outcome.message_id}").status_code == 403
    assert (
        officers["supervisor"].get(f"/api/v1/admin/quarantine/{outcome.message_id}").status_code
        == 403
    )
    assert any(e.object_id == str(outcome.message_id) for e in _events(world, "view_message"))


def test_reprocessing_from_the_page_and_the_api(
    world: World, officers: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = officers["administrator"]
    first = _quarantined(world, _passengers(next(_numbers)), monkeypatch)
    url = f"/admin/quarantine/{first}/reprocess"
    assert admin.form(url, {}, token=False).status_code == 403  # CSRF
    assert officers["supervisor"].form(url, {}).status_code == 403  # no quarantine:reprocess
    done = admin.form(url, {})
    assert done.status_code == 303 and "re-processed%3A+loaded" in done.headers["location"]
    assert "loaded" in admin.get(f"/admin/quarantine/{first}").text

    second = _quarantined(world, _passengers(next(_numbers)), monkeypatch)
    api = admin.send("POST", f"/api/v1/admin/quarantine/{second}/reprocess", None)
    assert api.status_code == 200, api.text
    assert api.json()["status"] == "loaded"
    again = admin.send("POST", f"/api/v1/admin/quarantine/{second}/reprocess", None)
    assert again.status_code == 404  # not quarantined any more
    with world.store.connect() as conn:
        statuses = conn.execute(
            select(messages.c.status).where(messages.c.id.in_([first, second]))
        ).all()
    assert [s[0] for s in statuses] == ["loaded", "loaded"]


def test_reprocessing_all_with_a_reason_reports_what_stays(
    world: World, officers: dict[str, Any]
) -> None:
    """Broken for real: re-processed, still quarantined, and the page says so."""
    raw = b"UNA:+.? 'UNB+UNOA:4+X+Y+261201:1000+R1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
    outcome = ingest_delivery(world.store, make_delivery(raw + b"UNT+2+1'", "feed/cut.edi"))
    assert outcome.status == "quarantined"
    admin = officers["administrator"]
    message = admin.get(f"/api/v1/admin/quarantine/{outcome.message_id}").json()
    done = admin.form("/admin/quarantine/reprocess", {"reason": message["kind"]})
    assert done.status_code == 303
    assert "still+quarantined" in done.headers["location"]
    single = admin.form(f"/admin/quarantine/{outcome.message_id}/reprocess", {})
    assert "error=still+quarantined" in single.headers["location"]


def test_delivery_report(world: World, officers: dict[str, Any]) -> None:
    world.flight(medium=0)  # a ZZ flight tomorrow with its passenger list
    report = officers["supervisor"].get("/api/v1/admin/delivery?carrier=ZZ").json()
    assert report["flights"] and {f["carrier"] for f in report["flights"]} == {"ZZ"}
    pushes = {p["kind"]: p for p in report["flights"][-1]["pushes"]}
    assert pushes["api"]["arrived_at"] is not None
    assert pushes["api"]["status"] == "on_time"  # a day early
    assert pushes["pnr_2h"]["status"] == "pending"
    assert "ZZ" in report["carriers"]
    page = officers["administrator"].get("/admin/delivery?carrier=ZZ").text
    assert 'id="compliance"' in page and "API at check-in close" in page
    wide = officers["administrator"].get("/api/v1/admin/delivery?start=2026-01-01&end=2026-12-31")
    assert wide.status_code == 422


def test_settings_and_retention(world: World, officers: dict[str, Any]) -> None:
    supervisor, admin = officers["supervisor"], officers["administrator"]
    world.flight()  # travellers that arrived today
    page = admin.get("/admin/settings").text
    assert ("PostgreSQL" if world.url.startswith("postgresql") else "SQLite") in page
    assert "No deletion or depersonalisation job runs yet" in page
    assert "card_key" not in page and "firstline-development" not in page
    refused = admin.form("/admin/settings/retention", {"depersonalise": 3, "delete": 24})
    assert refused.status_code == 403  # administrators lack settings:manage
    wrong = supervisor.form("/admin/settings/retention", {"depersonalise": 70, "delete": 60})
    assert "error=" in wrong.headers["location"]
    ok = supervisor.form("/admin/settings/retention", {"depersonalise": 6, "delete": 60})
    assert ok.status_code == 303 and "error" not in ok.headers["location"]
    assert any(e.object_id == "retention_months" for e in _events(world, "change_setting"))
    status = admin.get("/api/v1/admin/retention").json()
    assert status["periods"] == {"depersonalise": 6, "delete": 60}
    counts = status["counts"]["travellers"]
    assert counts["total"] == counts["within"] > 0  # everything arrived today
    before = admin.get("/api/v1/admin/settings").json()["home_airports"]
    url = "/api/v1/admin/settings/home-airports"
    try:
        assert supervisor.send("PUT", url, {"airports": ["bbb", "ccc"]}).json() == ["BBB", "CCC"]
        settings = admin.get("/api/v1/admin/settings").json()
        assert settings["home_airports"] == ["BBB", "CCC"]
        assert settings["deployment"]["smtp"] is False
    finally:  # the flights board of other tests reads it
        supervisor.send("PUT", url, {"airports": before})
