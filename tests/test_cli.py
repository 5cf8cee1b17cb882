"""The command line, run in-process against real databases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from firstline.cli import app
from firstline.settings import get_settings
from firstline.store.db import head_revision


@pytest.fixture
def runner(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("FIRSTLINE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_parse_json_prints_normalised_content(corpus_dir: Path) -> None:
    path = corpus_dir / "adamf_jetway" / "paxlst_IG_example_5_1_single_sector_1pax_D15B.edi"
    result = CliRunner().invoke(app, ["parse", str(path), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    message = document["files"][0]["messages"][0]
    traveller = message["travellers"][0]
    assert message["flight"]["designator"] == "ZZ123"
    assert (traveller["surname"], traveller["given_names"]) == ("WILLIAMS", "JOHN DONALD")
    assert traveller["date_of_birth"] == "1972-09-07"
    assert traveller["documents"][0] == {
        "type": "P",
        "number": "MB140241",
        "issuing_country": "GBR",
        "issuing_place": None,
        "expiry_date": "2015-12-31",
        "issue_date": None,
    }
    assert message["warnings"] == []


def test_parse_json_reports_warnings_and_errors(corpus_dir: Path) -> None:
    crew = corpus_dir / "adamf_jetway" / "paxlst_IG_example_5_2_crew_D15B.edi"
    xml = corpus_dir / "SaberLS_PNRGOV-XML-Parser" / "test_pnr_3.xml"
    result = CliRunner().invoke(app, ["parse", str(crew), str(xml), "--json"])
    assert result.exit_code == 0, result.output
    crew_file, xml_file = json.loads(result.stdout)["files"]
    unt = [w for w in crew_file["messages"][0]["warnings"] if w["code"] == "unt_count"]
    assert unt == [
        {
            "code": "unt_count",
            "message": "UNT segment count differs from the segments UNH..UNT",
            "segment": "UNT",
            "segment_index": 23,
            "line": 23,
            "column": 5,
            "element": 1,
            "component": None,
            "expected": "21",
            "found": "20",
        }
    ]
    assert xml_file["status"] == "error"
    assert xml_file["error"]["code"] == "parse_error"
    assert xml_file["error"]["reason"]


def test_ingest_then_inspect(runner: CliRunner, corpus_dir: Path) -> None:
    folder = corpus_dir / "deyoz_astra"
    result = runner.invoke(app, ["ingest", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Ingest summary" in result.stdout
    flights = runner.invoke(app, ["flights", "--json"])
    assert flights.exit_code == 0
    designators = {f"{f['carrier']}{f['number']}" for f in json.loads(flights.stdout)}
    assert "OK688" in designators
    table = runner.invoke(app, ["flights"])
    assert "OK688" in table.stdout
    travellers = runner.invoke(app, ["travellers", "--flight", "OK688", "--json"])
    assert travellers.exit_code == 0
    listing = json.loads(travellers.stdout)[0]["travellers"]
    assert sorted(t["surname"] for t in listing) == [
        "KOVACS",
        "LESKA",
        "PUTIN",
        "PUTINA",
        "STRANSKY",
    ]
    shown = runner.invoke(app, ["travellers", "--flight", "OK0688"])
    assert "STRANSKY" in shown.stdout
    quarantine = runner.invoke(app, ["quarantine", "--limit", "500", "--json"])
    assert quarantine.exit_code == 0
    reasons = [row["reason"] for row in json.loads(quarantine.stdout)]
    assert any("message type CUSRES is not ingested yet" in r for r in reasons)
    missing = runner.invoke(app, ["travellers", "--flight", "XX999"])
    assert missing.exit_code == 1


def test_quarantine_show_gives_full_reason(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.edi"
    bad.write_bytes(b"UNA:+.?'UNB+UNOA:4+X+Y'")
    assert runner.invoke(app, ["ingest", str(bad)]).exit_code == 0
    shown = runner.invoke(app, ["quarantine", "--show", "1"])
    assert shown.exit_code == 0, shown.output
    detail = json.loads(shown.stdout)
    assert detail["reason_detail"]["expected"] == "UNH"
    assert detail["source"] == str(bad)


def test_db_upgrade_and_current(runner: CliRunner) -> None:
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    head = head_revision()
    assert f"schema at {head}" in upgraded.stdout
    assert f"schema at {head}" in runner.invoke(app, ["db", "current"]).stdout


def test_bookings_and_sources_of_a_pnr_flight(runner: CliRunner, corpus_dir: Path) -> None:
    path = corpus_dir / "adamf_jetway" / "pnrgov_IG14_1_appendixB_example1_SQ602_trimmedLTS.edi"
    assert runner.invoke(app, ["ingest", str(path)]).exit_code == 0
    listing = json.loads(runner.invoke(app, ["bookings", "--flight", "SQ602", "--json"]).stdout)
    (booking,) = listing[0]["bookings"]
    assert booking["record_locator"] == "3PGZOV"
    assert [t["given_names"] for t in booking["details"]["travellers"]] == ["ISABELLE", "SOPHY"]
    table = runner.invoke(app, ["travellers", "--flight", "SQ602"])
    assert "BELT" in table.stdout and "PNR" in table.stdout


def test_demo_generates_and_loads_a_day(
    runner: CliRunner, corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIRSTLINE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    result = runner.invoke(
        app, ["demo", "--corpus", str(corpus_dir), "--flights", "5", "--no-serve"]
    )
    assert result.exit_code == 0, result.output
    assert "generated 35 synthetic messages for 5 flights" in result.stdout
    # The demo's accounts, one per role, are printed for the interface it would serve.
    assert "Demonstration accounts" in result.stdout and "port_officer (FRA)" in result.stdout
    flights = json.loads(runner.invoke(app, ["flights", "--json"]).stdout)
    assert len(flights) >= 5 + 5  # the generated day plus the corpus flights


def test_unknown_flight_and_message_are_reported_as_not_found(runner: CliRunner) -> None:
    from firstline.exc import NotFoundError

    missing = runner.invoke(app, ["bookings", "--flight", "XX999"])
    assert isinstance(missing.exception, NotFoundError)
    assert "no flight matches 'XX999'" in str(missing.exception)
    shown = runner.invoke(app, ["quarantine", "--show", "12345"])
    assert isinstance(shown.exception, NotFoundError)
