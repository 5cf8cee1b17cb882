"""Links to listed persons in the ingest flow, and a traveller's network, on real stores."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from firstline.generate.day import DayPlan, write_day
from firstline.graph.pivots import WORDS, Pivot
from firstline.ingest.options import ParseOptions
from firstline.services import links as link_service
from firstline.services import overview, scenarios
from firstline.services import watchlists as list_service
from firstline.services.ingest import ingest_paths
from firstline.store import Store, open_store
from firstline.texts import said

KEY = ParseOptions().card_key


@pytest.fixture
def store(database_url: str) -> Store:
    return open_store(database_url)


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("links") / "day"
    plan = DayPlan(day=date.today() + timedelta(days=1), airports=("FRA",), flights=8, seed=11)
    write_day(plan, out)
    return out


def test_sharing_a_listed_persons_contact_is_a_hit(store: Store, day: Path) -> None:
    answers = day / "_answers"
    list_service.import_list(store, "poi", [answers / "watchlist.csv"], "csv",
                             category="terrorism", severity="high")  # fmt: skip
    detector = link_service.LinkDetector(store, card_key=KEY)
    ingest_paths(store, [day], on_loaded=lambda o: detector.evaluate_flights(o.flight_ids))
    key = answers / "answer_key.json"
    planted = [s for s in json.loads(key.read_text()) if s["type"] == "shared_contact"]
    assert planted
    results = scenarios.evaluate(store, key, running=frozenset({"link analysis"}))
    assert {r.status for r in results if r.type == "shared_contact"} == {"found"}
    linked = [h for h in overview.hits(store) if h["source"] == "link"]
    assert linked
    for hit in linked:
        assert hit["title"].startswith("poi: shares a ")
        assert hit["explanation"]["summary"][0].startswith("The booking uses the same ")
        assert hit["explanation"]["source_id"]
    # Evaluating again finds the same, nothing new.
    again = detector.evaluate_flights(sorted({h["flight_id"] for h in linked}))
    assert again.new_hits == 0 and again.withdrawn_hits == 0


def test_a_travellers_network_holds_the_co_travellers(store: Store, day: Path) -> None:
    ingest_paths(store, [day])
    with store.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT booking_id, COUNT(*) FROM travellers WHERE booking_id IS NOT NULL "
            "GROUP BY booking_id HAVING COUNT(*) >= 3 ORDER BY booking_id LIMIT 1"
        ).all()
        booking = rows[0][0]
        members = [
            r[0]
            for r in conn.exec_driver_sql(
                f"SELECT id FROM travellers WHERE booking_id = {int(booking)} ORDER BY id"
            )
        ]
    found = link_service.network(store, members[0], hops=1)
    reached = {link["traveller_id"] for link in found["links"]}
    assert set(members[1:]) <= reached
    assert all(link["hops"] == 1 for link in found["links"])


def test_graph_conditions_in_rules(store: Store, day: Path) -> None:
    """A rule can ask whether a traveller shares an identifier with someone who has a hit."""
    from datetime import UTC, datetime

    from sqlalchemy import insert, select, update

    from firstline.services import rules as rule_service
    from firstline.store.repos import hits as hit_repo
    from firstline.store.repos.links import link_facts
    from firstline.store.tables import booking_contacts, hits, travellers

    ingest_paths(store, [day])
    with store.begin() as conn:
        people = conn.execute(
            select(travellers.c.id, travellers.c.flight_id, travellers.c.booking_id)
            .where(travellers.c.booking_id.is_not(None))
            .order_by(travellers.c.id)
        ).all()
        with_contact = set(conn.execute(select(booking_contacts.c.booking_id)).scalars())
        first = next(p for p in people if p.booking_id in with_contact)
        second = next(p for p in people if p.booking_id != first.booking_id)
        template = (
            conn.execute(
                select(booking_contacts).where(booking_contacts.c.booking_id == first.booking_id)
            )
            .mappings()
            .first()
        )
        assert template is not None
        # The second traveller's booking now gives the first booking's phone or e-mail.
        conn.execute(
            insert(booking_contacts).values(
                booking_id=second.booking_id,
                traveller_ref=None,
                kind=template["kind"],
                value=template["value"],
                raw=template["raw"],
                source=template["source"],
                normalised=True,
                message_id=template["message_id"],
            )
        )
        before = link_facts(conn, [second.flight_id])[second.id]
        assert before["links.shared_identifiers"] >= 1
        assert before["links.shares_with_hit"] is False
        hit = hit_repo.NewHit(first.id, first.flight_id, "rule", "rule:seed", "seed", "other",
                              "low", 0.5, {"summary": []})  # fmt: skip
        hit_repo.record_hits(conn, [first.id], [hit], source="rule", now=datetime.now(UTC))
        after = link_facts(conn, [second.flight_id])[second.id]
        assert after["links.shares_with_hit"] is True
        assert after["links.shares_with_confirmed_hit"] is False
        conn.execute(update(hits).where(hits.c.traveller_id == first.id).values(status="confirmed"))
        assert link_facts(conn, [second.flight_id])[second.id]["links.shares_with_confirmed_hit"]

        # Two steps: a watchlist match on the first traveller puts the second one (a shared
        # contact away) and the second's co-travellers (a booking further) near it.
        assert not link_facts(conn, [second.flight_id])[second.id]["links.near_watchlist_match"]
        listed = hit_repo.NewHit(first.id, first.flight_id, "watchlist", "watchlist:1:1",
                                 "listed", "terrorism", "high", 0.9, {"summary": []})  # fmt: skip
        hit_repo.record_hits(conn, [first.id], [listed], source="watchlist", now=datetime.now(UTC))
        facts = link_facts(conn, [second.flight_id])
        assert facts[second.id]["links.near_watchlist_match"] is True
        mates = [p.id for p in people if p.booking_id == second.booking_id and p.id != second.id]
        for mate in mates:
            if mate in facts:
                assert facts[mate]["links.near_watchlist_match"] is True
        # The listed traveller's own co-travellers are one step from the match: near too.
        firsts = {p.id for p in people if p.booking_id == first.booking_id}
        for mate in firsts - {first.id}:
            if mate in facts:
                assert facts[mate]["links.near_watchlist_match"] is True
        strangers = [t for t in facts if t not in (second.id, *mates, *firsts)]
        assert strangers and not any(facts[t]["links.near_watchlist_match"] for t in strangers)

    pack = """
rules:
  - id: shares-with-confirmed
    title: Shares a phone, e-mail or card with a confirmed hit
    category: other
    severity: medium
    score: 40
    owner: test
    start: 2000-01-01
    expiry: 2100-01-01
    status: active
    when: {field: links.shares_with_confirmed_hit, op: is_true}
"""
    rule_service.import_pack(store, pack)
    rule_service.Evaluator(store).evaluate_flights([second.flight_id], related=False)
    found = [h for h in overview.hits(store, flight_id=second.flight_id)
             if h["source_key"] == "rule:shares-with-confirmed"]  # fmt: skip
    assert second.id in {h["traveller_id"] for h in found}


@pytest.mark.parametrize(
    "pivot",
    [
        Pivot("phone", "+33612345678"),
        Pivot("email", "someone@example.net"),
        Pivot("card", "f" * 32),
        Pivot("document", "FRA:X1234567"),
    ],
)
def test_a_link_hit_in_words(pivot: Pivot) -> None:
    """The English as before the lines had templates; the templates, filled in, read the
    same (pages in other languages translate them)."""
    entry = link_service.ListedPivot(
        list_id=1, list_name="poi", category="terrorism", severity="high", entry_id=2,
        source_id="P-9", name="NOBODY KNOWN",
    )  # fmt: skip
    hit = link_service.link_hit(10, 20, pivot, entry)
    words = WORDS[pivot.kind]
    assert hit.title == f"poi: shares a {words} with NOBODY KNOWN"
    explanation = hit.explanation
    assert explanation["summary"] == [
        f"The booking uses the same {words} as NOBODY KNOWN on list 'poi' (entry P-9).",
        f"Shared {words}: {pivot.shown()}.",
    ]
    assert [said(line) for line in explanation["sentences"]] == explanation["summary"]
    title = {"template": explanation["title_template"], "params": explanation["title_params"]}
    assert said(title) == hit.title
