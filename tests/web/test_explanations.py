"""Why a hit was raised, on French pages: the watchlist, rule and link hits' explanations and
the traveller page read in French, with no English sentence of the domain left; hits stored
before explanations had templates read as they were stored; re-processing a quarantined
message says so in French. The API keeps the English."""

from __future__ import annotations

import html
import itertools
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import select, update
from webkit import Officer, World

from firstline.graph.pivots import Pivot
from firstline.services import rules as rule_service
from firstline.services.ingest import ingest_delivery, make_delivery
from firstline.services.rules import Evaluator
from firstline.store.tables import hits
from firstline.web import i18n
from firstline.web.explanations import explained, hit_title, summary

FRENCH = {"Accept-Language": "fr"}
_numbers = itertools.count(1)

# The domain's English words that a French page must not show.
ENGLISH = (
    "Name matches", "Name parts:", "Not on the list", "Date of birth", "date of birth",
    "same date of birth", "list gives", "nationality", "gender not compared", "same sound",
    "matched.", " is one of ", " is true", "Surname is", "(yes)", "The booking uses the same",
    "Shared phone number", "shares a phone number",
)  # fmt: skip


def _french(officer: Officer, url: str) -> str:
    answer = officer.get(url, headers=FRENCH)
    assert answer.status_code == 200, answer.text
    return html.unescape(answer.text)


def _english_left(page: str) -> list[str]:
    return [words for words in ENGLISH if words in page]


def _explanation(page: str) -> str:
    """The "why it hit" card of a hit page."""
    start = page.index('id="explanation"')
    return page[start : page.index('<div class="card">', start)]


def _hit_of(world: World, traveller: int, source: str) -> int:
    with world.store.connect() as conn:
        found = conn.execute(
            select(hits.c.id).where(hits.c.traveller_id == traveller, hits.c.source == source)
        ).scalar_one()
    return int(found)


@pytest.fixture
def french() -> Any:
    i18n.activate("fr")
    yield
    i18n.activate("en")


# -- watchlist hits -----------------------------------------------------------------------------


def test_a_watchlist_hit_reads_in_french(world: World, officers: dict[str, Officer]) -> None:
    flight = world.flight(high=1)
    (hit_id,) = flight.high
    analyst = officers["analyst"]
    page = _french(analyst, f"/hits/{hit_id}")
    why = _explanation(page)
    assert "Le nom concorde avec le nom inscrit (score 1,00)." in why
    assert "Éléments du nom\xa0: tessaly = tessaly; quorvan = quorvan." in why
    assert "Même date de naissance (1971-04-02)." in why
    assert "Même nationalité (FRA)." in why
    # The facts compared, with the one not compared.
    assert "<li>même date de naissance (1971-04-02) <span" in why
    assert "<li>sexe non comparé <span" in why
    assert _english_left(why) == []
    # The traveller page shows the same lines.
    traveller = _french(analyst, f"/travellers/{flight.traveller_ids[0]}")
    assert "Le nom concorde avec le nom inscrit (score 1,00)." in traveller
    assert _english_left(traveller) == []
    # In English, and in the API, the English as it always was.
    english = html.unescape(analyst.get(f"/hits/{hit_id}").text)
    assert "Name matches the listed name at 1.00." in english
    assert "Same date of birth (1971-04-02)." in english
    api = analyst.get(f"/api/v1/hits/{hit_id}", headers=FRENCH).json()
    assert "Name matches the listed name at 1.00." in api["explanation"]["summary"]


def test_a_hit_stored_without_templates_shows_its_english(
    world: World, officers: dict[str, Officer]
) -> None:
    flight = world.flight(high=1)
    (hit_id,) = flight.high
    with world.store.begin() as conn:
        stored = conn.execute(select(hits.c.explanation).where(hits.c.id == hit_id)).scalar_one()
        older = {k: v for k, v in stored.items() if k != "sentences"}
        older["facts"] = [
            {k: v for k, v in fact.items() if k not in ("template", "params")}
            for fact in stored["facts"]
        ]
        conn.execute(update(hits).where(hits.c.id == hit_id).values(explanation=older))
    why = _explanation(_french(officers["analyst"], f"/hits/{hit_id}"))
    assert "Name matches the listed name at 1.00." in why
    assert "<li>same date of birth (1971-04-02) <span" in why


# -- rule hits ----------------------------------------------------------------------------------


def _rule_pack(key: str, surname: str, *, status: str = "active") -> str:
    return f"""
rules:
  - id: {key}
    title: Cash for {surname}
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
          value: [FRA, DEU]
        - not:
            field: flight.origin
            op: in
            value: [QQQ]
    tests:
      must_hit:
        - {{traveller.surname: {surname}, traveller.nationality: FRA, flight.origin: AAA}}
      must_not_hit:
        - {{traveller.surname: {surname}, traveller.nationality: ITA}}
"""


def test_a_rule_hit_reads_in_french(world: World, officers: dict[str, Officer]) -> None:
    flight = world.flight()
    key = f"web-french-{next(_numbers)}"
    rule_service.import_pack(world.store, _rule_pack(key, flight.surname))
    try:
        Evaluator(world.store).evaluate_flights([flight.id])
    finally:  # later tests' flights are not this rule's business
        rule_service.import_pack(world.store, _rule_pack(key, flight.surname, status="retired"))
    hit_id = _hit_of(world, flight.clean_traveller, "rule")
    why = _explanation(_french(officers["analyst"], f"/hits/{hit_id}"))
    surname = flight.surname
    assert f"Règle «\xa0Cash for {surname}\xa0» déclenchée." in why
    assert f"Nom est {surname} ({surname})." in why
    assert "<li>Nationalité est parmi DEU, FRA (FRA)</li>" in why
    assert "<li>non (Aéroport d’origine est parmi QQQ)</li>" in why
    assert _english_left(why) == []
    english = html.unescape(officers["analyst"].get(f"/hits/{hit_id}").text)
    assert f"Rule 'Cash for {surname}' matched." in english
    assert "<li>Nationality is one of DEU, FRA (FRA)</li>" in english


# -- link hits ----------------------------------------------------------------------------------


def test_a_link_hit_reads_in_french(world: World, officers: dict[str, Officer]) -> None:
    flight = world.flight()
    hit_id, list_name = world.link_hit(
        flight, Pivot("phone", "+33612345678"), severity="high", source_id="LINK-1",
        name="NOBODY KNOWN",
    )  # fmt: skip
    analyst = officers["analyst"]
    page = _french(analyst, f"/hits/{hit_id}")
    why = _explanation(page)
    assert (
        "La réservation utilise le même numéro de téléphone que NOBODY KNOWN de la liste "
        f"«\xa0{list_name}\xa0» (entrée LINK-1)." in why
    )
    assert "Numéro de téléphone partagé\xa0: +33...678." in why
    assert f"{list_name}\xa0: partage un numéro de téléphone avec NOBODY KNOWN</h1>" in page
    assert _english_left(page[page.index("<h1>") : page.index('<div class="card">')]) == []
    traveller = _french(analyst, f"/travellers/{flight.clean_traveller}")
    assert "partage un numéro de téléphone avec NOBODY KNOWN" in traveller
    assert "Numéro de téléphone partagé\xa0: +33...678." in traveller
    english = html.unescape(analyst.get(f"/hits/{hit_id}").text)
    assert "The booking uses the same phone number as NOBODY KNOWN on list" in english
    assert f"{list_name}: shares a phone number with NOBODY KNOWN</h1>" in english


# -- the filters --------------------------------------------------------------------------------


def test_the_filters_read_stored_explanations_of_every_age(french: None) -> None:
    assert summary(None) == []
    assert summary({"summary": "one line"}) == ["one line"]
    assert summary({"summary": ["a.", "b."]}) == ["a.", "b."]
    lines = [{"template": "Name parts: {parts}.", "params": {"parts": {"list": ["a = a"]}}}]
    assert summary({"summary": ["Name parts: a = a."], "sentences": lines}) == [
        "Éléments du nom\xa0: a = a."
    ]
    assert explained({"text": "as stored"}) == "as stored"
    assert explained("a condition stored as text") == "a condition stored as text"
    assert explained({"text": "x", "template": "same gender"}) == "même sexe"
    assert hit_title({"title": "list: entry", "explanation": {}}) == "list: entry"


def test_decimals_take_the_languages_sign(french: None) -> None:
    kind = {"template": "an alias"}
    said = i18n.translate("Name matches {kind} at {score:.2f}.", {"kind": kind, "score": 0.875})
    assert said == "Le nom concorde avec un alias (score 0,88)."
    i18n.activate("en")
    said = i18n.translate("Name matches {kind} at {score:.2f}.", {"kind": kind, "score": 0.875})
    assert said == "Name matches an alias at 0.88."


# -- flashes ------------------------------------------------------------------------------------


def _post(officer: Officer, url: str, pairs: list[tuple[str, str]]) -> httpx.Response:
    body = urlencode([*pairs, ("csrf_token", officer.csrf)])
    headers = {"content-type": "application/x-www-form-urlencoded", **FRENCH}
    answer: httpx.Response = officer.client.post(url, content=body, headers=headers)
    return answer


def _flash(answer: httpx.Response, key: str) -> str:
    assert answer.status_code == 303, answer.text
    return parse_qs(urlsplit(answer.headers["location"]).query)[key][0]


def test_reprocessing_says_so_in_french(world: World, officers: dict[str, Officer]) -> None:
    ref = f"FX{next(_numbers)}"
    raw = f"UNA:+.? 'UNB+UNOA:4+X+Y+260101:1200+{ref}'UNH+1+CUSRES:D:05B:UN'UNT+2+1'".encode()
    outcome = ingest_delivery(world.store, make_delivery(raw, "feed/french-flash.edi"))
    assert outcome.status == "quarantined"
    admin = officers["administrator"]
    single = _post(admin, f"/admin/quarantine/{outcome.message_id}/reprocess", [])
    assert _flash(single, "error") == (
        "toujours en quarantaine\xa0: le type de message CUSRES n’est pas encore pris en charge"
    )
    every = _post(admin, "/admin/quarantine/reprocess", [("reason", "message type CUSRES is not "
                                                                    "ingested yet")])  # fmt: skip
    said = _flash(every, "done")
    assert " retraité" in said and "toujours en quarantaine\xa0: " in said
    # In English, as it was.
    english = admin.form(f"/admin/quarantine/{outcome.message_id}/reprocess", {})
    assert _flash(english, "error") == (
        "still quarantined: message type CUSRES is not ingested yet"
    )
