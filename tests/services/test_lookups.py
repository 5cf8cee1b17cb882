"""Lookup lists kept by analysts (services/lookups.py) on SQLite and PostgreSQL: values
normalised as rules compare them, versions only on change, the audit trail, refusals, and an
evaluator that uses a changed list at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from factory import Person, paxlst
from sqlalchemy import select

from firstline.cases.access import Actor, Permission
from firstline.exc import NotFoundError, PermissionDeniedError
from firstline.services import lookups
from firstline.services import rules as rule_service
from firstline.services.ingest import ingest_delivery, make_delivery
from firstline.store import Store, open_store
from firstline.store.tables import audit_events, hits

SUPERVISOR = Actor(
    user_id=None,
    username="lookup-tests",
    role="supervisor",
    permissions=frozenset({Permission.VIEW_RULES.value, Permission.MANAGE_RULES.value}),
)
ANALYST = Actor(None, "analyst", "analyst", frozenset({Permission.VIEW_RULES.value}))

PACK = """
lookups:
  - name: watched_nationalities
    kind: countries
    description: Nationalities of the test rule
    values: [DEU]
rules:
  - id: watched-nationality
    title: Watched nationality
    category: other
    severity: low
    score: 10
    start: 2026-01-01
    expiry: 2030-12-31
    status: active
    when:
      field: traveller.nationality
      op: in
      lookup: watched_nationalities
    tests:
      must_hit:
        - traveller.nationality: DEU
      must_not_hit:
        - traveller.nationality: ITA
"""


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


def _events(store: Store) -> list[dict[str, Any]]:
    with store.connect() as conn:
        rows = conn.execute(
            select(audit_events)
            .where(audit_events.c.action == "lookup_saved")
            .order_by(audit_events.c.id)
        ).mappings()
        return [dict(r) for r in rows]


def test_values_are_normalised_as_rules_compare_them() -> None:
    typed = " fra\n\nMuc\r\nFRA\nist, cdg ;ams\n"
    assert lookups.normalise(typed, "airports") == ["FRA", "MUC", "IST", "CDG", "AMS"]
    assert lookups.normalise(["deu", " DEU", "aut,che"], "countries") == ["DEU", "AUT", "CHE"]
    # Text keeps its case, commas included, and is one value per line; case-blind repeats go.
    text = "Global Travel, Ltd\n global travel, ltd \nBlue Agency\n"
    assert lookups.normalise(text, "text") == ["Global Travel, Ltd", "Blue Agency"]


@pytest.mark.parametrize(
    ("name", "kind", "values", "problems"),
    [
        ("hubs", "airports", ["FRA"], {}),
        ("Hubs", "airports", ["FRA"], {"name": "name_invalid"}),
        ("high risk", "airports", ["FRA"], {"name": "name_invalid"}),
        ("h", "airports", ["FRA"], {"name": "name_invalid"}),
        ("hubs", "planets", ["FRA"], {"kind": "kind_unknown"}),
        ("hubs", "airports", [], {"values": "values_empty"}),
    ],
)
def test_check(name: str, kind: str, values: list[str], problems: dict[str, str]) -> None:
    assert lookups.check(name, kind, values) == problems


def test_saving_makes_a_version_only_on_change_and_is_audited(store: Store) -> None:
    created = lookups.save(
        store, SUPERVISOR, name="hubs", values="fra\nmuc", kind="airports", creating=True,
        description="  Large   hubs ", client="10.0.0.1",
    )  # fmt: skip
    assert (created.version, created.new, created.changed) == (1, True, True)
    assert created.added == ["FRA", "MUC"] and created.removed == []
    same = lookups.save(store, SUPERVISOR, name="hubs", values=["MUC", "FRA"][::-1])
    assert (same.version, same.changed, same.described) == (1, False, False)
    changed = lookups.save(store, SUPERVISOR, name="hubs", values="FRA\nIST", base_version=1)
    assert (changed.version, changed.changed) == (2, True)
    assert (changed.added, changed.removed) == (["IST"], ["MUC"])
    described = lookups.save(store, SUPERVISOR, name="hubs", values="FRA\nIST", description="X")
    assert (described.version, described.changed, described.described) == (2, False, True)

    found = lookups.detail(store, "hubs")
    assert (found["values"], found["version"], found["kind"]) == (["FRA", "IST"], 2, "airports")
    assert found["description"] == "X" and found["used_by"] == []
    assert [(v["version"], v["values"], v["added"], v["removed"]) for v in found["versions"]] == [
        (1, ["FRA", "MUC"], ["FRA", "MUC"], []),
        (2, ["FRA", "IST"], ["IST"], ["MUC"]),
    ]
    assert lookups.compare(found["versions"], 0, 2) == {
        "a": 0, "b": 2, "added": ["FRA", "IST"], "removed": [],
    }  # fmt: skip
    events = _events(store)
    assert [(e["actor"], e["object_type"], e["object_id"]) for e in events] == [
        ("lookup-tests", "lookup_list", "hubs")
    ] * 3
    assert events[0]["client"] == "10.0.0.1"
    details = [
        (e["detail"]["version"], e["detail"]["added"], e["detail"]["removed"]) for e in events
    ]
    assert details == [(1, ["FRA", "MUC"], []), (2, ["IST"], ["MUC"]), (2, [], [])]
    assert events[0]["detail"]["new"] is True and events[1]["detail"]["new"] is False


def test_refusals(store: Store) -> None:
    lookups.save(store, SUPERVISOR, name="hubs", values="FRA", kind="airports")
    refusals: list[tuple[dict[str, Any], dict[str, str]]] = [
        ({"name": "hubs", "values": "MUC", "creating": True}, {"name": "name_taken"}),
        ({"name": "hubs", "values": "MUC", "base_version": 7}, {"form": "stale"}),
        ({"name": "Hubs!", "values": "MUC"}, {"name": "name_invalid"}),
        ({"name": "hubs", "values": " \n\n"}, {"values": "values_empty"}),
        ({"name": "hubs", "values": "MUC", "kind": "planets"}, {"kind": "kind_unknown"}),
    ]
    for given, problems in refusals:
        with pytest.raises(lookups.LookupValidationError) as caught:
            lookups.save(store, SUPERVISOR, **given)
        assert caught.value.problems == problems, given
        assert caught.value.http_status == 422
    with pytest.raises(PermissionDeniedError):
        lookups.save(store, ANALYST, name="hubs", values="MUC")
    with pytest.raises(NotFoundError):
        lookups.detail(store, "nothing")
    assert lookups.detail(store, "hubs")["values"] == ["FRA"]
    assert len(_events(store)) == 1


def test_a_list_whose_new_values_break_a_rules_examples_is_refused(store: Store) -> None:
    rule_service.import_pack(store, PACK)
    (listed,) = lookups.lists(store)
    assert listed["used_by"] == [
        {"key": "watched-nationality", "title": "Watched nationality", "status": "active"}
    ]
    assert (listed["count"], listed["version"], listed["kind"]) == (1, 1, "countries")
    # Without DEU the rule's must_hit example fails; with ITA its must_not_hit one.
    for values in ("AUT", "DEU\nITA"):
        with pytest.raises(lookups.LookupValidationError) as caught:
            lookups.save(store, SUPERVISOR, name="watched_nationalities", values=values)
        assert caught.value.problems == {"values": "tests_fail"}
        (failure,) = caught.value.failures
        assert failure.rule == "watched-nationality"
        assert "watched-nationality tests.must_" in str(caught.value)
    assert lookups.detail(store, "watched_nationalities")["version"] == 1


def test_the_evaluator_uses_a_changed_list_at_once(store: Store) -> None:
    rule_service.import_pack(store, PACK)
    people = [Person(f"LISTED{chr(65 + i)}", nationality="FRA", document=f"LX{i}") for i in (0, 1)]
    outcome = ingest_delivery(store, make_delivery(paxlst(people), "lookups"))
    flights = outcome.flight_ids
    evaluator = rule_service.Evaluator(store)  # one per process: it caches the compiled rules
    assert evaluator.evaluate_flights(flights).new_hits == 0

    lookups.save(store, SUPERVISOR, name="watched_nationalities", values="DEU\nfra")
    assert evaluator.evaluate_flights(flights).new_hits == 2
    with store.connect() as conn:
        found = conn.execute(
            select(hits.c.source_key, hits.c.explanation).where(hits.c.current.is_(True))
        ).all()
    assert {key for key, _explanation in found} == {"rule:watched-nationality"}
    assert all("FRA" in str(explanation["conditions"]) for _key, explanation in found)

    lookups.save(store, SUPERVISOR, name="watched_nationalities", values="DEU")
    assert evaluator.evaluate_flights(flights).withdrawn_hits == 2
