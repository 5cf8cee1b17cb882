"""The domain's own sentences on French pages: the rule fields' labels and descriptions and
the rule checker's mistakes in the rule editor, and why a delivery was quarantined on the
quarantine pages. English pages, and reasons stored before reasons had templates, read as
they always did."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from webkit import Officer, World

from firstline.rules.form import from_definition
from firstline.rules.model import RuleError
from firstline.services.ingest import ingest_delivery, make_delivery
from firstline.store.repos import messages as message_repo
from firstline.web import i18n
from firstline.web.problems import parse_problem, rule_problem

FRENCH = {"Accept-Language": "fr"}
_numbers = itertools.count(1)


@pytest.fixture
def french() -> Iterator[None]:
    i18n.activate("fr")
    yield
    i18n.activate("en")


def _post(officer: Officer, url: str, pairs: list[tuple[str, str]]) -> httpx.Response:
    body = urlencode([*pairs, ("csrf_token", officer.csrf)])
    headers = {"content-type": "application/x-www-form-urlencoded", **FRENCH}
    answer: httpx.Response = officer.client.post(url, content=body, headers=headers)
    return answer


def _broken_rule() -> dict[str, Any]:
    return {
        "id": "fr-broken", "title": "Broken in French", "category": "other",
        "severity": "low", "score": 500, "status": "draft",
        "when": {"all": [{"field": "traveller.age", "op": "less_than", "value": "young"}]},
    }  # fmt: skip


def _quarantined(world: World, raw: bytes) -> int:
    outcome = ingest_delivery(world.store, make_delivery(raw, "feed/french.edi"))
    assert outcome.status == "quarantined"
    return outcome.message_id


def _unsupported() -> bytes:
    ref = f"FR{next(_numbers)}"
    return f"UNA:+.? 'UNB+UNOA:4+X+Y+260101:1200+{ref}'UNH+1+CUSRES:D:05B:UN'UNT+2+1'".encode()


# -- the rule editor ----------------------------------------------------------------------------


def test_the_rule_fields_read_in_french(officers: dict[str, Officer]) -> None:
    analyst = officers["analyst"]
    blank = analyst.get("/rules/new", headers=FRENCH).text
    assert 'title="Nom de famille tel que transmis par la compagnie aérienne."' in blank
    assert ">Nom (traveller.surname)</option>" in blank
    row = _post(analyst, "/rules/editor/row", [("row", "r-0"), ("field.r-0", "traveller.age")])
    assert "Âge en années révolues à la date de départ." in row.text
    english = analyst.get("/rules/new").text
    assert 'title="Family name as the airline sent it."' in english


def test_the_rule_checker_speaks_french(officers: dict[str, Officer]) -> None:
    supervisor = officers["supervisor"]
    pairs = from_definition(_broken_rule()).pairs()
    answer = _post(supervisor, "/rules/save", [*pairs, ("save_as", "draft")])
    assert answer.status_code == 422
    page = answer.text
    row = page[page.index('id="node-r-0"') :]
    assert "«\xa0young\xa0» n’est pas un nombre" in row[: row.index("</div>\n</div>")]
    score = page[page.index('id="meta-score"') :]
    assert "attendu\xa0: un nombre entier de 0 à 100" in score[: score.index("</label>")]
    # The located list of the YAML view, and a YAML text that does not read.
    listed = _post(supervisor, "/rules/editor/yaml", pairs).text
    assert "«\xa0young\xa0» n’est pas un nombre" in listed
    unreadable = _post(supervisor, "/rules/editor/from-yaml", [*pairs, ("yaml_text", "a: [b")])
    assert unreadable.status_code == 422 and "YAML non valide\xa0: " in unreadable.text
    # The API keeps the English.
    checked = supervisor.send("POST", "/api/v1/rules/check", {"definition": _broken_rule()})
    messages = [e["message"] for e in checked.json()["errors"]]
    assert "'young' is not a number" in messages


# -- quarantine ---------------------------------------------------------------------------------


def test_quarantine_reasons_read_in_french(world: World, officers: dict[str, Officer]) -> None:
    admin = officers["administrator"]
    unsupported = _quarantined(world, _unsupported())
    page = admin.get(f"/admin/quarantine/{unsupported}", headers=FRENCH).text
    assert '<dd id="reason">le type de message CUSRES n’est pas encore pris en charge</dd>' in page
    assert '<span class="mono">PAXLST ou PNRGOV</span>' in page
    listing = admin.get("/admin/quarantine", headers=FRENCH).text
    assert ">le type de message CUSRES n’est pas encore pris en charge</a>" in listing
    # The filter offers every reason in French and still filters on the stored English one.
    reason = "message type CUSRES is not ingested yet"
    filtered = admin.get("/admin/quarantine", params={"reason": reason}, headers=FRENCH).text
    assert f'<option value="{reason}" selected>le type de message CUSRES' in filtered
    english = admin.get(f"/admin/quarantine/{unsupported}").text
    assert f'<dd id="reason">{reason}</dd>' in english


def test_a_reason_without_parameters_and_a_reason_stored_without_template(
    world: World, officers: dict[str, Officer]
) -> None:
    admin = officers["administrator"]
    garbage = _quarantined(world, f"nothing to read {next(_numbers)}".encode())
    page = admin.get(f"/admin/quarantine/{garbage}", headers=FRENCH).text
    assert '<dd id="reason">aucun message EDIFACT trouvé</dd>' in page
    assert '<span class="mono">UNA, UNB ou UNH</span>' in page
    # Stored before reasons had templates: shown as stored.
    older = _quarantined(world, _unsupported())
    legacy = {"reason": "message type CUSRES is not ingested yet", "expected": "PAXLST or PNRGOV"}
    with world.store.begin() as conn:
        message_repo.update(conn, older, reason_detail=legacy)
    page = admin.get(f"/admin/quarantine/{older}", headers=FRENCH).text
    assert '<dd id="reason">message type CUSRES is not ingested yet</dd>' in page
    assert '<span class="mono">PAXLST or PNRGOV</span>' in page


# -- the translation of templates ---------------------------------------------------------------


def test_a_template_is_translated_then_filled_in(french: None) -> None:
    error = RuleError("rule.when.value", "'{value}' is not a number", {"value": "young"})
    assert rule_problem(error) == "«\xa0young\xa0» n’est pas un nombre"
    detail = {
        "reason": "XML document Foo is not a PNRGOV message",
        "reason_template": "XML document {name} is not a PNRGOV message",
        "expected": "PNRGOV_Request",
        "expected_template": "PNRGOV_Request",
        "params": {"name": "Foo"},
    }
    assert parse_problem(detail, "reason") == "le document XML Foo n’est pas un message PNRGOV"
    assert parse_problem(detail, "expected") == "PNRGOV_Request"
    assert parse_problem(None, "reason", "as stored") == "as stored"
    assert parse_problem({"expected": None}, "expected") == ""


def test_a_template_that_cannot_be_filled_falls_back(french: None) -> None:
    # A stored template whose parameters are missing: the template itself, never an error.
    assert i18n.translate("'{value}' is not a number", {"other": "x"}) == (
        "'{value}' is not a number"
    )
    assert i18n.translate("") == ""
    assert i18n.translate("not in the catalogue {x}", {"x": "1"}) == "not in the catalogue 1"
