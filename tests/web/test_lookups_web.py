"""Lookup lists over HTTP (routes/lookups.py) and hits per rule version on the versions page:
creating and editing a list, versions and their difference, refusals shown beside their
field, who may do what, CSRF, the audit trail, and a changed list changing what a rule hits.
Both backends (the `world`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import insert, select
from webkit import Officer, World

from firstline.services import rules as rule_service
from firstline.services.rules import Evaluator
from firstline.store.tables import audit_events, hits


def _new(officer: Officer, name: str, values: str, **extra: str) -> httpx.Response:
    return officer.form("/rules/lookups/new", {"name": name, "kind": "airports",
                                               "values": values, **extra})  # fmt: skip


def _row(page: str, version: int) -> str:
    found = re.search(rf'<tr data-version="{version}">(.*?)</tr>', page, re.S)
    assert found, page[:2000]
    return found.group(1)


def _cell(row: str, name: str) -> str:
    found = re.search(rf'class="num {name}">([^<]*)', row)
    assert found, row
    return found.group(1).strip()


def test_supervisor_creates_edits_and_compares_a_list(
    world: World, officers: dict[str, Officer]
) -> None:
    supervisor = officers["supervisor"]
    assert 'href="/rules/lookups"' in supervisor.get("/rules").text
    form = supervisor.get("/rules/lookups/new")
    assert form.status_code == 200 and 'name="values"' in form.text

    created = supervisor.form("/rules/lookups/new", {
        "name": "web_hubs", "kind": "airports", "description": "Hubs of the web tests",
        "values": " fra\r\nmuc\r\n\r\nFRA\r\n",
    })  # fmt: skip
    assert created.status_code == 303, created.text[:2000]
    assert created.headers["location"] == "/rules/lookups/web_hubs/versions?note=saved&b=1"
    page = supervisor.get(created.headers["location"]).text
    assert "List web_hubs saved as version 1." in page
    shown = re.search(r'id="lookup-values">(.*?)</ul>', page, re.S)
    assert shown and re.findall(r"<li>([^<]*)</li>", shown.group(1)) == ["FRA", "MUC"]

    edit = supervisor.get("/rules/lookups/web_hubs/edit").text
    assert 'name="base_version" value="1"' in edit and "FRA\nMUC</textarea>" in edit
    changed = supervisor.form("/rules/lookups/web_hubs/edit", {
        "kind": "airports", "description": "Hubs of the web tests", "values": "FRA\nist",
        "base_version": "1",
    })  # fmt: skip
    assert changed.status_code == 303
    assert changed.headers["location"] == "/rules/lookups/web_hubs/versions?note=saved&b=2&a=1"
    page = supervisor.get(changed.headers["location"]).text
    assert "saved as version 2" in page
    assert re.findall(r"<li>([^<]*)</li>", _between(page, 'id="diff-added"', "</ul>")) == ["IST"]
    assert re.findall(r"<li>([^<]*)</li>", _between(page, 'id="diff-removed"', "</ul>")) == ["MUC"]
    assert "From version 1 to version 2: 1 added, 1 removed." in page
    # Against the empty list, version 1 added everything.
    first = supervisor.get("/rules/lookups/web_hubs/versions?a=0&b=1").text
    assert re.findall(r"<li>([^<]*)</li>", _between(first, 'id="diff-added"', "</ul>")) == [
        "FRA", "MUC",
    ]  # fmt: skip
    # The same values again (an old form's version is stale; the current one is not).
    stale = supervisor.form("/rules/lookups/web_hubs/edit", {
        "kind": "airports", "values": "FRA\nIST", "base_version": "1"})  # fmt: skip
    assert stale.status_code == 422 and 'id="lookup-problems"' in stale.text
    same = supervisor.form("/rules/lookups/web_hubs/edit", {
        "kind": "airports", "description": "Hubs of the web tests", "values": "fra\nIST",
        "base_version": "2",
    })  # fmt: skip
    assert same.headers["location"] == "/rules/lookups/web_hubs/versions?note=unchanged&b=2"

    listing = supervisor.get("/rules/lookups").text
    row = _between(listing, 'data-lookup="web_hubs"', "</tr>")
    assert "Hubs of the web tests" in row and 'href="/rules/lookups/web_hubs/edit"' in row
    listed = {r["name"]: r for r in supervisor.get("/api/v1/lookups").json()}
    assert (listed["web_hubs"]["count"], listed["web_hubs"]["version"]) == (2, 2)
    data = supervisor.get("/api/v1/lookups/web_hubs").json()
    assert data["values"] == ["FRA", "IST"]
    assert [(v["version"], v["added"], v["removed"]) for v in data["versions"]] == [
        (1, ["FRA", "MUC"], []),
        (2, ["IST"], ["MUC"]),
    ]
    with world.store.connect() as conn:
        events = conn.execute(
            select(audit_events)
            .where(audit_events.c.action == "lookup_saved", audit_events.c.object_id == "web_hubs")
            .order_by(audit_events.c.id)
        ).mappings().all()  # fmt: skip
    assert [(e["actor"], e["object_type"], e["detail"]["version"]) for e in events] == [
        ("supervisor", "lookup_list", 1),
        ("supervisor", "lookup_list", 2),
    ]
    assert (events[1]["detail"]["added"], events[1]["detail"]["removed"]) == (["IST"], ["MUC"])


def _between(page: str, start: str, end: str) -> str:
    tail = page[page.index(start) :]
    return tail[: tail.index(end)]


def test_the_api_creates_and_replaces_a_list(world: World, officers: dict[str, Officer]) -> None:
    supervisor = officers["supervisor"]
    made = supervisor.send("PUT", "/api/v1/lookups/web_api_countries",
                           {"values": ["col", "per"], "kind": "countries"})  # fmt: skip
    assert made.status_code == 200, made.text
    assert made.json() == {"name": "web_api_countries", "version": 1, "new": True,
                           "changed": True, "added": ["COL", "PER"], "removed": []}  # fmt: skip
    again = supervisor.send("PUT", "/api/v1/lookups/web_api_countries", {"values": ["PER"]})
    assert (again.json()["version"], again.json()["removed"]) == (2, ["COL"])
    assert supervisor.get("/api/v1/lookups/web_api_countries").json()["kind"] == "countries"
    bad = supervisor.send("PUT", "/api/v1/lookups/Bad%20Name", {"values": ["X"]})
    assert bad.status_code == 422 and bad.json()["error"] == "lookup_validation_error"
    assert "lower-case" in bad.json()["message"]
    assert supervisor.get("/api/v1/lookups/no_such_list").status_code == 404
    assert supervisor.get("/rules/lookups/no_such_list/versions").status_code == 404


def test_mistakes_are_shown_beside_their_field(world: World, officers: dict[str, Officer]) -> None:
    supervisor = officers["supervisor"]
    answer = _new(supervisor, "High Risk Airports", "bog\nlim")
    assert answer.status_code == 422
    name = _between(answer.text, 'id="lookup-name"', 'id="lookup-kind"')
    assert 'aria-invalid="true"' in name and 'id="name-error"' in name
    assert "lower-case letters, digits, - or _" in name
    assert 'value="High Risk Airports"' in name  # what was typed is kept
    assert "bog\nlim</textarea>" in answer.text
    assert 'id="values-error"' not in answer.text
    assert "high_risk_airports" not in {r["name"] for r in officers["analyst"].get(
        "/api/v1/lookups").json()}  # fmt: skip

    empty = _new(supervisor, "web_empty", " \n \n")
    assert empty.status_code == 422 and "Give at least one value." in empty.text
    assert 'id="name-error"' not in empty.text

    assert _new(supervisor, "web_taken", "BOG").status_code == 303
    taken = _new(supervisor, "web_taken", "LIM")
    assert taken.status_code == 422 and "exists already" in taken.text
    assert officers["analyst"].get("/api/v1/lookups/web_taken").json()["values"] == ["BOG"]


# -- who may do what --------------------------------------------------------------------------


def test_analysts_see_lists_but_cannot_change_them(
    world: World, officers: dict[str, Officer]
) -> None:
    supervisor, analyst = officers["supervisor"], officers["analyst"]
    assert _new(supervisor, "web_seen", "FRA").status_code == 303
    listing = analyst.get("/rules/lookups")
    assert listing.status_code == 200 and 'data-lookup="web_seen"' in listing.text
    assert 'href="/rules/lookups/new"' not in listing.text
    assert 'href="/rules/lookups/web_seen/edit"' not in listing.text
    page = analyst.get("/rules/lookups/web_seen/versions")
    assert page.status_code == 200 and 'id="edit-lookup"' not in page.text
    assert analyst.get("/rules/lookups/new").status_code == 403
    assert analyst.get("/rules/lookups/web_seen/edit").status_code == 403
    assert _new(analyst, "web_by_analyst", "FRA").status_code == 403
    edit = analyst.form("/rules/lookups/web_seen/edit", {"kind": "airports", "values": "MUC"})
    assert edit.status_code == 403
    assert analyst.send("PUT", "/api/v1/lookups/web_seen", {"values": ["MUC"]}).status_code == 403
    assert analyst.get("/api/v1/lookups/web_seen").json()["values"] == ["FRA"]


@pytest.mark.parametrize("username", ["auditor", "port_officer", "administrator"])
def test_other_roles_are_refused(world: World, officers: dict[str, Officer], username: str) -> None:
    officer = officers[username]
    for url in ("/rules/lookups", "/rules/lookups/new", "/api/v1/lookups"):
        assert officer.get(url).status_code == 403, url
    assert _new(officer, f"web_by_{username}", "FRA").status_code == 403
    refused = officer.send("PUT", f"/api/v1/lookups/web_by_{username}", {"values": ["FRA"]})
    assert refused.status_code == 403 and refused.json()["error"] == "permission_denied"
    assert f"web_by_{username}" not in {
        r["name"] for r in officers["supervisor"].get("/api/v1/lookups").json()
    }


def test_forms_without_the_csrf_token_are_refused(officers: dict[str, Officer]) -> None:
    supervisor = officers["supervisor"]
    body = {"name": "web_csrf", "kind": "airports", "values": "FRA"}
    assert supervisor.form("/rules/lookups/new", body, token=False).status_code == 403
    put = supervisor.send("PUT", "/api/v1/lookups/web_csrf", {"values": ["FRA"]}, token=False)
    assert put.status_code == 403
    assert supervisor.get("/api/v1/lookups/web_csrf").status_code == 404


# -- lists and evaluation ---------------------------------------------------------------------


def _rule_pack(key: str, surname: str, *, status: str = "active") -> str:
    """A rule hitting one traveller (by surname) whose nationality is in a lookup list."""
    return f"""
lookups:
  - name: {key.replace("-", "_")}
    kind: countries
    values: [DEU]
rules:
  - id: {key}
    title: Nationality listed for {surname}
    category: other
    severity: low
    score: 10
    start: 2026-01-01
    expiry: 2030-12-31
    status: {status}
    when:
      all:
        - field: traveller.surname
          op: equals
          value: {surname}
        - field: traveller.nationality
          op: in
          lookup: {key.replace("-", "_")}
    tests:
      must_hit:
        - {{traveller.surname: {surname}, traveller.nationality: DEU}}
      must_not_hit:
        - {{traveller.surname: {surname}, traveller.nationality: ITA}}
"""


def test_a_list_changed_in_the_browser_changes_what_a_rule_hits(
    world: World, officers: dict[str, Officer]
) -> None:
    supervisor = officers["supervisor"]
    flight = world.flight()  # its one traveller is French
    rule_service.import_pack(world.store, _rule_pack("web-listed", flight.surname))
    page = supervisor.get("/rules/lookups/web_listed/versions").text
    assert 'href="/rules/web-listed/edit"' in _between(page, 'id="used-by"', "</ul>")

    def hit() -> bool:
        with world.store.connect() as conn:
            found = conn.execute(
                select(hits.c.id).where(
                    hits.c.traveller_id == flight.clean_traveller,
                    hits.c.source_key == "rule:web-listed",
                    hits.c.current.is_(True),
                )
            ).all()
        return bool(found)

    evaluator = Evaluator(world.store)  # one evaluator throughout, as a running process has
    evaluator.evaluate_flights([flight.id])
    assert not hit()
    added = supervisor.form("/rules/lookups/web_listed/edit",
                            {"kind": "countries", "values": "DEU\nfra"})  # fmt: skip
    assert added.status_code == 303
    evaluator.evaluate_flights([flight.id])
    assert hit()

    # Values that would make the rule's own examples fail are refused, the rule named.
    broken = supervisor.form("/rules/lookups/web_listed/edit",
                             {"kind": "countries", "values": "FRA\nITA"})  # fmt: skip
    assert broken.status_code == 422
    error = _between(broken.text, 'id="values-error"', "</div>")
    assert 'href="/rules/web-listed/edit"' in error and "must_" in error
    assert supervisor.get("/api/v1/lookups/web_listed").json()["values"] == ["DEU", "FRA"]
    # Retire the rule: later tests' flights are not its business.
    rule_service.import_pack(world.store, _rule_pack("web-listed", flight.surname,
                                                     status="retired"))  # fmt: skip


# -- hits per rule version --------------------------------------------------------------------


def test_the_versions_page_counts_hits_per_rule_version(
    world: World, officers: dict[str, Officer]
) -> None:
    flight = world.flight(high=2, medium=2)  # five travellers
    key = "web-counted"
    for title in ("First wording", "Second wording"):
        pack = _rule_pack(key, flight.surname, status="draft").replace(
            f"title: Nationality listed for {flight.surname}", f"title: {title}"
        )
        rule_service.import_pack(world.store, pack)
    now = datetime.now(UTC)
    crafted = [(1, "confirmed"), (1, "false_positive"), (1, "open"), (2, "confirmed"),
               (2, "shadow")]  # fmt: skip
    with world.store.begin() as conn:
        for traveller, (version, status) in zip(flight.traveller_ids, crafted, strict=True):
            conn.execute(insert(hits).values(
                traveller_id=traveller, flight_id=flight.id, source="rule",
                source_key=f"rule:{key}", title="t", category="other", severity="low",
                score=0.1, explanation={"rule": key, "version": version}, status=status,
                current=True, first_seen_at=now, updated_at=now,
            ))  # fmt: skip
    page = officers["analyst"].get(f"/rules/{key}/versions")
    assert page.status_code == 200
    one, two = _row(page.text, 1), _row(page.text, 2)
    assert [_cell(one, c) for c in ("v-hits", "v-confirmed", "v-false-positive",
                                    "v-precision")] == ["3", "1", "1", "50%"]  # fmt: skip
    assert [_cell(two, c) for c in ("v-hits", "v-confirmed", "v-false-positive",
                                    "v-precision")] == ["1", "1", "0", "100%"]  # fmt: skip
    assert "1 shadow" in two and "shadow" not in one
    data = officers["analyst"].get(f"/api/v1/rules/{key}/versions").json()
    counts = [(v["version"], v["hits"], v["shadow_hits"], v["confirmed"], v["false_positive"],
               v["precision"]) for v in data]  # fmt: skip
    assert counts == [(1, 3, 0, 1, 1, 0.5), (2, 1, 1, 1, 0, 1.0)]
    # The versions add up to the rule's own statistics.
    (stats,) = [r for r in rule_service.stats(world.store) if r["rule"] == key]
    assert (stats["hits"], stats["shadow_hits"], stats["confirmed"], stats["false_positive"]) == (
        4, 1, 2, 1,
    )  # fmt: skip
