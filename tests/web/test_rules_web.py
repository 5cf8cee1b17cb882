"""The rules pages and API over HTTP: list, editor fragments, tests, back-test, saving as
versions, versions side by side; who may do what; CSRF. Both backends (the `world`)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import yaml
from sqlalchemy import select
from webkit import Officer, World

from firstline.rules.form import from_definition
from firstline.services import rules as rule_service
from firstline.store.tables import audit_events
from firstline.web.routes.rules import _yaml

LOOKUP_PACK = """
lookups:
  - name: web_test_airports
    kind: airports
    values: [FRA, IST]
"""


def _rule(key: str, **extra: Any) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "id": key,
        "title": "Clean travellers of the web tests",
        "category": "other",
        "severity": "low",
        "score": 10,
        "owner": "web-tests",
        "start": "2026-01-01",
        "expiry": "2030-12-31",
        "status": "draft",
        "when": {
            "all": [
                {"field": "traveller.surname", "op": "starts_with", "value": "PELLINGRAY"},
                {"any": [
                    {"field": "traveller.nationality", "op": "is_not_empty"},
                    {"field": "itinerary.transit_airports", "op": "contains_any",
                     "lookup": "web_test_airports"},
                ]},
            ]
        },
        "tests": {
            "must_hit": [{"traveller.surname": "PELLINGRAYX", "traveller.nationality": "FRA"}],
            "must_not_hit": [{"traveller.surname": "SMITH", "traveller.nationality": "FRA"}],
        },
    }  # fmt: skip
    definition.update(extra)
    return definition


@pytest.fixture(scope="module", autouse=True)
def lookups(world: World) -> None:
    rule_service.import_pack(world.store, LOOKUP_PACK)


def _post(officer: Officer, url: str, pairs: list[tuple[str, str]], **kw: Any) -> httpx.Response:
    """A form posted in page order (repeated fields kept), with the CSRF field unless told."""
    body = pairs + ([("csrf_token", officer.csrf)] if kw.pop("token", True) else [])
    headers = {"content-type": "application/x-www-form-urlencoded", **kw.pop("headers", {})}
    answer: httpx.Response = officer.client.post(url, content=urlencode(body), headers=headers)
    return answer


def _pairs(definition: dict[str, Any], **extra: str) -> list[tuple[str, str]]:
    return from_definition(definition).pairs() + list(extra.items())


def _save(officer: Officer, definition: dict[str, Any], status: str = "draft") -> httpx.Response:
    return _post(officer, "/rules/save", _pairs(definition, save_as=status))


def _versions(world: World, key: str) -> list[int]:
    return [v["version"] for v in rule_service.versions(world.store, key)]


class _Fields(HTMLParser):
    """The fields a form posts, in page order: inputs, selected options, textareas."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside = form_id, False
        self.pairs: list[tuple[str, str]] = []
        self._select: str | None = None
        self._first: tuple[str, str] | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            self.pairs.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._first = a.get("name"), None
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = (self._select, a.get("value", ""))
            if "selected" in a:
                self.pairs.append((self._select, a.get("value", "")))
                self._select = None
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select and self._first:
            self.pairs.append(self._first)
        if tag == "select":
            self._select = None
        if tag == "textarea" and self._textarea:
            self.pairs.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        if tag == "form":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data


def _form_of(page: str) -> list[tuple[str, str]]:
    parser = _Fields("rule-form")
    parser.feed(page)
    return [(k, v) for k, v in parser.pairs if k != "csrf_token"]


# -- pages and fragments ----------------------------------------------------------------------


def test_supervisor_creates_a_rule_and_each_save_is_a_version(
    world: World, officers: dict[str, Officer]
) -> None:
    supervisor = officers["supervisor"]
    key = "web-versions"
    saved = _save(supervisor, _rule(key))
    assert saved.status_code == 303, re.findall(r"rule-err[^<]*<|<li>.*?</li>", saved.text)
    assert saved.headers["location"].startswith(f"/rules?saved={key}")
    assert _versions(world, key) == [1]
    # Unchanged: no new version. Changed: version 2.
    same = _pairs(_rule(key), save_as="draft", editing=key)
    unchanged = _post(supervisor, "/rules/save", same)
    assert unchanged.status_code == 303 and "unchanged" in unchanged.headers["location"]
    assert _versions(world, key) == [1]
    changed = _pairs(_rule(key, title="Clean travellers, changed"), save_as="draft",
                     editing=key)  # fmt: skip
    assert _post(supervisor, "/rules/save", changed).status_code == 303
    assert _versions(world, key) == [1, 2]
    # A new rule may not take an existing rule's id.
    taken = _save(supervisor, _rule(key, title="Another"))
    assert taken.status_code == 422 and "exists already" in taken.text
    # The list, the editor and the versions side by side.
    listing = supervisor.get("/rules")
    assert listing.status_code == 200 and f'data-rule="{key}"' in listing.text
    assert 'href="/rules/new"' in listing.text and "<svg" in listing.text
    edit = supervisor.get(f"/rules/{key}/edit")
    assert edit.status_code == 200 and "Clean travellers, changed" in edit.text
    versions = supervisor.get(f"/rules/{key}/versions?a=1&b=2")
    assert versions.status_code == 200
    assert 'class="diff-changed"' in versions.text
    assert "Clean travellers of the web tests" in versions.text
    data = supervisor.get(f"/api/v1/rules/{key}/versions").json()
    assert [v["version"] for v in data] == [1, 2]
    current = supervisor.get(f"/api/v1/rules/{key}").json()
    assert current["version"] == 2 and current["definition"]["title"].endswith("changed")
    listed = {r["rule"]: r for r in supervisor.get("/api/v1/rules").json()}
    assert listed[key]["version"] == 2 and listed[key]["owner"] == "web-tests"
    assert {"hits", "per_thousand", "confirmed", "false_positive", "precision",
            "outcomes"} <= set(listed[key])  # fmt: skip


def test_the_edit_page_posts_back_the_stored_definition(
    world: World, officers: dict[str, Officer]
) -> None:
    supervisor = officers["supervisor"]
    key = "web-roundtrip"
    assert _save(supervisor, _rule(key)).status_code == 303
    page = supervisor.get(f"/rules/{key}/edit").text
    fields = _form_of(page)
    assert ("editing", key) in fields and any(k == "node" for k, _v in fields)
    shown = supervisor.client.post(
        "/rules/editor/yaml",
        content=urlencode([*fields, ("csrf_token", supervisor.csrf)]),
        headers={"content-type": "application/x-www-form-urlencoded", "HX-Request": "true"},
    )
    assert shown.status_code == 200 and "<html" not in shown.text
    pre = re.search(r'<pre class="rule-yaml mono" id="yaml-text">(.*?)</pre>', shown.text, re.S)
    assert pre is not None
    stored = rule_service.versions(world.store, key)[-1]["definition"]
    assert yaml.safe_load(html.unescape(pre.group(1))) == yaml.safe_load(_yaml(stored))
    assert "rule-problems" not in shown.text


def test_a_row_is_drawn_for_its_field_type(officers: dict[str, Officer]) -> None:
    analyst = officers["analyst"]
    number = _post(analyst, "/rules/editor/row", [
        ("row", "r-0"), ("node", "r-0"), ("field.r-0", "traveller.age"), ("op.r-0", "between"),
    ])  # fmt: skip
    assert number.status_code == 200 and "<html" not in number.text
    assert 'value="less_than"' in number.text and 'value="contains_any"' not in number.text
    assert 'name="value2.r-0"' in number.text and 'type="number"' in number.text
    assert "Whole years on the departure date." in number.text  # the field's description
    # A field of another type: its operators; an operator it lacks falls back to its first.
    codes = _post(analyst, "/rules/editor/row", [
        ("row", "r-0"), ("field.r-0", "itinerary.transit_airports"), ("op.r-0", "between"),
    ])  # fmt: skip
    assert 'value="contains_any"' in codes.text and 'value="less_than"' not in codes.text
    assert 'value="contains" selected' in codes.text
    listing = _post(analyst, "/rules/editor/row", [
        ("row", "r-0"), ("field.r-0", "itinerary.transit_airports"), ("op.r-0", "contains_any"),
    ])  # fmt: skip
    assert 'name="lookup.r-0"' in listing.text and "web_test_airports" in listing.text
    dates = _post(analyst, "/rules/editor/row", [
        ("row", "r-0"), ("field.r-0", "flight.departure_date"), ("op.r-0", "before"),
    ])  # fmt: skip
    assert 'type="date"' in dates.text
    yes_no = _post(analyst, "/rules/editor/row", [("row", "r-0"), ("field.r-0", "payment.cash")])
    assert "is yes" in yes_no.text and 'name="value.r-0"' not in yes_no.text
    new = _post(analyst, "/rules/editor/row", [("parent", "r-1")])
    assert re.search(r'id="node-r-1-[0-9a-f]{6}"', new.text)
    group = _post(analyst, "/rules/editor/group", [("parent", "r"), ("kind", "not")])
    assert 'value="not" selected' in group.text and group.text.count('class="node cond"') == 1
    example = _post(analyst, "/rules/editor/example", [("example_kind", "must_not_hit")])
    assert 'value="must_not_hit" selected' in example.text


def test_examples_run_and_a_failing_example_refuses_activation(
    world: World, officers: dict[str, Officer]
) -> None:
    supervisor = officers["supervisor"]
    good = _post(supervisor, "/rules/editor/test", _pairs(_rule("web-tests-ok")))
    assert good.status_code == 200 and "All tests pass" in good.text
    failing = _rule(
        "web-failing",
        tests={"must_hit": [{"traveller.surname": "SMITH", "traveller.nationality": "FRA"}]},
    )
    shown = _post(supervisor, "/rules/editor/test", _pairs(failing))
    assert "Tests fail" in shown.text and "must_hit[0]" in shown.text
    refused = _save(supervisor, failing, status="active")
    assert refused.status_code == 422
    assert "test fails" in refused.text and 'class="rule-err"' in refused.text
    assert "web-failing" not in {r["key"] for r in rule_service.list_rules(world.store)}
    # A draft may fail its tests; shadow may not.
    assert _save(supervisor, failing, status="shadow").status_code == 422
    assert _save(supervisor, failing, status="draft").status_code == 303
    assert _versions(world, "web-failing") == [1]
    # The API refuses the same way.
    answer = supervisor.send("PUT", "/api/v1/rules/web-failing",
                             {"definition": {**failing, "status": "active"}})  # fmt: skip
    assert answer.status_code == 422 and "test fails" in answer.json()["message"]
    checked = supervisor.send("POST", "/api/v1/rules/check", {"definition": failing}).json()
    assert checked["valid"] and [t["passed"] for t in checked["tests"]] == [False]


def test_mistakes_are_shown_beside_their_place(officers: dict[str, Officer]) -> None:
    supervisor = officers["supervisor"]
    broken = _rule("web-broken", score=500)
    broken["when"]["all"][0] = {"field": "traveller.age", "op": "less_than", "value": "young"}
    answer = _save(supervisor, broken)
    assert answer.status_code == 422
    page = answer.text
    row = page[page.index('id="node-r-0"') : page.index('id="node-r-1"')]
    assert "is not a number" in row
    score = page[page.index('id="meta-score"') :]
    assert "whole number from 0 to 100" in score[: score.index("</label>")]
    yaml_view = _post(supervisor, "/rules/editor/yaml", _pairs(broken))
    assert 'href="#node-r-0"' in yaml_view.text and 'href="#meta-score"' in yaml_view.text


def test_edit_as_yaml(officers: dict[str, Officer]) -> None:
    supervisor = officers["supervisor"]
    text = (
        "id: web-from-yaml\ntitle: From YAML\nstatus: draft\nwhen:\n  any:\n"
        "    - field: payment.cash\n      op: is_true\n"
        "    - field: flight.origin\n      op: in\n      value: [BOG, LIM]\n"
    )
    loaded = _post(supervisor, "/rules/editor/from-yaml", _pairs(_rule("x1"), yaml_text=text))
    assert loaded.status_code == 200
    fields = dict(_form_of(loaded.text))
    assert fields["id"] == "web-from-yaml" and fields["kind.r"] == "any"
    assert fields["value.r-1"] == "BOG, LIM"
    bad = _post(supervisor, "/rules/editor/from-yaml", _pairs(_rule("x1"), yaml_text="a: [b"))
    assert bad.status_code == 422 and "not valid YAML" in bad.text
    wrong = text.replace("is_true", "before")
    located = _post(supervisor, "/rules/editor/from-yaml", _pairs(_rule("x1"), yaml_text=wrong))
    page = html.unescape(located.text)
    row = page[page.index('id="node-r-0"') : page.index('id="node-r-1"')]
    assert "'before' does not apply" in row


def test_backtest_equals_the_service_on_the_same_data(
    world: World, officers: dict[str, Officer]
) -> None:
    world.flight(high=1)
    supervisor, analyst = officers["supervisor"], officers["analyst"]
    key = "web-backtest"
    definition = _rule(key)
    assert _save(supervisor, definition).status_code == 303
    expected = rule_service.backtest(world.store, key, date_from=None, date_to=None)
    assert expected.hits >= 1 and expected.travellers > expected.hits
    shown = _post(analyst, "/rules/editor/backtest", _pairs(definition))
    assert shown.status_code == 200
    numbers = {
        name: re.search(rf'class="bt-{name}">([^<]+)<', shown.text)
        for name in ("hits", "travellers", "per-thousand")
    }
    assert all(numbers.values()), shown.text[:2000]
    assert int(numbers["hits"].group(1)) == expected.hits  # type: ignore[union-attr]
    assert int(numbers["travellers"].group(1)) == expected.travellers  # type: ignore[union-attr]
    assert numbers["per-thousand"].group(1) == f"{expected.per_thousand:.2f}"  # type: ignore[union-attr]
    # The page lists the service's example travellers, in its order (the world is shared by
    # many tests, so which travellers come first depends on what ran before).
    listed = [int(t) for t in re.findall(r'href="/travellers/(\d+)"', shown.text)]
    assert listed == [e["traveller_id"] for e in expected.examples]
    api = analyst.send("POST", "/api/v1/rules/backtest", {"definition": definition}).json()
    assert (api["hits"], api["travellers"]) == (expected.hits, expected.travellers)
    assert [e["traveller_id"] for e in api["examples"]] == [
        e["traveller_id"] for e in expected.examples
    ]
    # A period with no flight: nothing.
    period = _pairs(definition, backtest_from="2001-01-01", backtest_to="2001-01-02")
    empty = _post(analyst, "/rules/editor/backtest", period)
    assert 'class="bt-travellers">0<' in empty.text


def _evaluated(world: World) -> set[str]:
    """The rules the screening evaluates (active and shadow)."""
    with world.store.connect() as conn:
        loaded, _lookups = rule_service.load_rules(conn, statuses=("active", "shadow"))
    return {rule.key for rule, _version in loaded}


def test_supervisor_retires_a_rule_from_the_editor(
    world: World, officers: dict[str, Officer]
) -> None:
    supervisor, analyst = officers["supervisor"], officers["analyst"]
    key = "web-retire"
    assert _save(supervisor, _rule(key), status="active").status_code == 303
    assert key in _evaluated(world)
    edit = supervisor.get(f"/rules/{key}/edit").text
    assert f'action="/rules/{key}/retire"' in edit and 'name="reason"' in edit
    assert 'id="retire"' not in analyst.get(f"/rules/{key}/edit").text
    # Analysts may not retire; no CSRF token, no retirement; a reason is required.
    assert _post(analyst, f"/rules/{key}/retire", [("reason", "x")]).status_code == 403
    no_token = _post(supervisor, f"/rules/{key}/retire", [("reason", "x")], token=False)
    assert no_token.status_code == 403
    no_reason = _post(supervisor, f"/rules/{key}/retire", [("reason", " ")])
    assert no_reason.status_code == 422 and "give the reason" in no_reason.text
    assert key in _evaluated(world) and _versions(world, key) == [1]

    retired = _post(supervisor, f"/rules/{key}/retire", [("reason", "no longer productive")])
    assert retired.status_code == 303
    assert retired.headers["location"] == f"/rules?saved={key}&note=retired&version=2"
    assert key not in _evaluated(world)
    current = rule_service.versions(world.store, key)[-1]
    assert current["version"] == 2 and current["status"] == "retired"
    assert current["definition"]["title"] == _rule(key)["title"]
    listing = supervisor.get(retired.headers["location"]).text
    assert f"Rule {key} retired (version 2)" in listing
    with world.store.connect() as conn:
        events = list(conn.execute(select(audit_events).where(
            audit_events.c.action == "rule_retired", audit_events.c.object_id == key)))  # fmt: skip
    assert [(e.actor, e.reason) for e in events] == [("supervisor", "no longer productive")]
    # Retired: the editor says so and offers no second retirement; saving brings it back.
    again = supervisor.get(f"/rules/{key}/edit").text
    assert 'id="retired"' in again and 'id="retire"' not in again
    assert (
        _post(supervisor, f"/rules/{key}/retire", [("reason", "x")])
        .headers["location"]
        .endswith("note=unchanged&version=2")
    )


# -- who may do what --------------------------------------------------------------------------


def test_analyst_views_and_tries_but_cannot_save(officers: dict[str, Officer]) -> None:
    analyst = officers["analyst"]
    for url in ("/rules", "/rules/new", "/api/v1/rules", "/api/v1/rules/fields"):
        assert analyst.get(url).status_code == 200, url
    assert 'href="/rules/new"' not in analyst.get("/rules").text
    assert 'name="save_as"' not in analyst.get("/rules/new").text
    assert "Only a supervisor may save rules." in analyst.get("/rules/new").text
    assert _save(analyst, _rule("web-by-analyst")).status_code == 403
    refused = analyst.send("PUT", "/api/v1/rules/web-by-analyst", {"definition": _rule("x1")})
    assert refused.status_code == 403
    assert analyst.get("/api/v1/rules/no-such-rule").status_code == 404


@pytest.mark.parametrize("username", ["administrator", "auditor", "port_officer"])
def test_other_roles_are_refused(officers: dict[str, Officer], username: str) -> None:
    officer = officers[username]
    for url in ("/rules", "/rules/new", "/api/v1/rules", "/api/v1/rules/fields"):
        assert officer.get(url).status_code == 403, url
    assert _post(officer, "/rules/editor/row", [("parent", "r")]).status_code == 403
    assert _save(officer, _rule("web-by-other")).status_code == 403


def test_unauthenticated_requests_are_sent_to_log_in(world: World) -> None:
    client = world.client()
    page = client.get("/rules")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert client.get("/api/v1/rules").status_code == 401
    assert client.post("/rules/save", data={"id": "x"}).status_code in (401, 303)


def test_forms_without_the_csrf_token_are_refused(officers: dict[str, Officer]) -> None:
    supervisor = officers["supervisor"]
    refused = _post(supervisor, "/rules/save", _pairs(_rule("web-csrf"), save_as="draft"),
                    token=False)  # fmt: skip
    assert refused.status_code == 403
    assert _post(supervisor, "/rules/editor/row", [("parent", "r")], token=False).status_code == 403
    answer = supervisor.send("PUT", "/api/v1/rules/web-csrf", {"definition": _rule("x")},
                             token=False)  # fmt: skip
    assert answer.status_code == 403
