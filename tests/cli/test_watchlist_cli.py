"""`firstline watchlist ...`, `firstline screen` and `firstline hits`, in-process on real databases.

Invented names only.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from factory import Person, paxlst
from typer.testing import CliRunner

from firstline.cli import app
from firstline.services.watchlists import WatchlistError
from firstline.settings import get_settings

LIST_CSV = (
    "id,surname,given_names,date_of_birth,nationality,document_number\n"
    "WL-1,QUORVAN,TESSALY,1971-04-02,FRA,QX100001\n"
    "WL-2,BRIMWETHER,OSKAN,1965-07-19,DEU,\n"
    "WL-3,VANTRELL,MIRABEL ANNE,1980-11-30,ITA,QX100003\n"
)


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"FIRSTLINE_DATABASE_URL": database_url, "FIRSTLINE_DATA_DIR": str(tmp_path / "data")}


@pytest.fixture
def runner(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


@pytest.fixture
def list_file(tmp_path: Path) -> Path:
    path = tmp_path / "national.csv"
    path.write_text(LIST_CSV, encoding="utf-8")
    return path


def _import(runner: CliRunner, path: Path, *extra: str) -> str:
    args = ["watchlist", "import", str(path), "--list", "national", "--format", "csv", *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def _json(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _tomorrow_flight(tmp_path: Path, *people: Person) -> Path:
    """A PAXLST of a flight leaving tomorrow (not arrived, so re-screened on list changes)."""
    leaving = datetime.now(UTC) + timedelta(days=1)
    path = tmp_path / "paxlst.edi"
    path.write_bytes(
        paxlst(
            list(people),
            departure=leaving.strftime("%y%m%d1030"),
            arrival=leaving.strftime("%y%m%d1400"),
        )
    )
    return path


QUORVAN = Person("QUORVAN", given="TESSALY", dob="710402", document="ZX7000001", reference="P1")
PELLINGRAY = Person("PELLINGRAY", given="ODO", dob="880808", document="ZX7000002", reference="P2")


def test_import_list_and_history(runner: CliRunner, list_file: Path) -> None:
    out = _import(runner, list_file, "--category", "wanted", "--severity", "high")
    assert "Watchlist import" in out
    header = next(line for line in out.splitlines() if "version" in line and "entries" in line)
    for column in ("list", "format", "added", "changed", "removed", "unchanged", "rejected"):
        assert column in header
    row = next(line for line in out.splitlines() if "national" in line)
    assert row.split("│")[1:-1] and [c.strip() for c in row.split("│")[1:-1]] == [
        "national", "1", "csv", "", "3", "3", "0", "0", "0", "0",
    ]  # fmt: skip
    assert "re-screened 0 travellers" in out

    listing = runner.invoke(app, ["watchlist", "list"])
    assert listing.exit_code == 0, listing.output
    assert "Watchlists" in listing.stdout and "national" in listing.stdout
    assert "wanted" in listing.stdout and "high" in listing.stdout

    (listed,) = _json(runner, "watchlist", "list")
    assert (listed["name"], listed["category"], listed["severity"]) == (
        "national",
        "wanted",
        "high",
    )
    assert (listed["active"], listed["version"], listed["entries"]) == (True, 1, 3)

    edited = list_file.with_name("national-2.csv")
    edited.write_text(LIST_CSV.replace("WL-3,VANTRELL,MIRABEL ANNE,1980-11-30,ITA,QX100003\n", ""))
    _import(runner, edited)
    history = _json(runner, "watchlist", "history", "national")
    assert isinstance(history, list)
    assert [(v["number"], v["added"], v["removed"], v["unchanged"]) for v in history] == [
        (1, 3, 0, 0),
        (2, 0, 1, 2),
    ]
    assert history[1]["changes"] == [
        {"change": "removed", "source_id": "WL-3", "name": history[1]["changes"][0]["name"]}
    ]
    table = runner.invoke(app, ["watchlist", "history", "national"])
    assert table.exit_code == 0 and "History of national" in table.stdout

    assert runner.invoke(app, ["watchlist", "deactivate", "national"]).exit_code == 0
    (listed,) = _json(runner, "watchlist", "list")
    assert listed["active"] is False and listed["entries"] == 2
    assert _json(runner, "screen", "Tessaly Quorvan", "--dob", "1971-04-02") == []
    assert runner.invoke(app, ["watchlist", "activate", "national"]).exit_code == 0
    (listed,) = _json(runner, "watchlist", "list")
    assert listed["active"] is True


def test_screen_one_name(runner: CliRunner, list_file: Path) -> None:
    _import(runner, list_file)
    matches = _json(runner, "screen", "Tessaly QUORVAN", "--dob", "1971-04-02")
    assert isinstance(matches, list) and matches
    best = matches[0]
    assert (best["list"], best["source_id"]) == ("national", "WL-1")
    assert best["score"] >= 0.8 and best["name"] and "QUORVAN" in best["name"]
    assert best["explanation"]["summary"] and best["explanation"]["score"] == best["score"]
    assert any("birth" in fact["field"] for fact in best["explanation"]["facts"])
    assert all(m["score"] >= 0.7 for m in matches)

    by_document = _json(runner, "screen", "--document", "QX100003")
    assert by_document[0]["source_id"] == "WL-3"
    assert "Same document number." in by_document[0]["explanation"]["summary"]
    # QX100001 (WL-1) is one character apart: below the default threshold on its own (a
    # big lost/stolen list has many one-character neighbours), shown when asked for.
    assert [m["source_id"] for m in by_document] == ["WL-3"]
    lower = _json(runner, "screen", "--document", "QX100003", "--min-score", "0.5")
    assert [m["source_id"] for m in lower] == ["WL-3", "WL-1"]
    near = lower[1]
    assert 0.5 <= near["score"] < 0.7
    assert "Document number one character apart." in near["explanation"]["summary"]

    shown = runner.invoke(app, ["screen", "Tessaly QUORVAN", "--dob", "1971-04"])
    assert shown.exit_code == 0, shown.output
    assert "national · WL-1" in shown.stdout and "Name matches" in shown.stdout
    nothing = runner.invoke(app, ["screen", "Zebulon Ickworthy-Plum"])
    assert nothing.exit_code == 0 and "no match at or above 0.7" in nothing.stdout

    unknown = runner.invoke(app, ["screen", "Tessaly Quorvan", "--list", "elsewhere"])
    assert isinstance(unknown.exception, WatchlistError)
    assert "no list named 'elsewhere'" in str(unknown.exception)


def test_screen_a_batch(runner: CliRunner, list_file: Path, tmp_path: Path) -> None:
    _import(runner, list_file)
    other = tmp_path / "other.csv"
    other.write_text(
        "id,surname,given_names,date_of_birth\nOT-1,QUORVAN,TESSALY,1971-04-02\n", encoding="utf-8"
    )
    args = ["watchlist", "import", str(other), "--list", "other", "--format", "csv"]
    assert runner.invoke(app, args).exit_code == 0
    queries = tmp_path / "q.csv"
    with queries.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "date_of_birth", "nationality"])
        writer.writerow(["q1", "Tessaly Quorvan", "1971-04-02", "FRA"])
        writer.writerow(["q2", "Oskan Brimwether", "1965", ""])
        writer.writerow(["q3", "Zebulon Ickworthy-Plum", "", ""])
    output = tmp_path / "r.jsonl"
    result = runner.invoke(
        app,
        ["screen", "--list", "national", "--input", str(queries), "--output", str(output),
         "--top", "3", "--min-score", "0.5"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "screened 3 queries" in result.stderr
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["q1", "q2", "q3"]
    for line in lines:
        assert len(line["matches"]) <= 3
        for match in line["matches"]:
            assert {"source_id", "name", "score", "explanation"} <= match.keys()
            assert match["list"] == "national"  # --list: not the other list
            assert match["score"] >= 0.5 and match["explanation"]["summary"]
    assert lines[0]["matches"][0]["source_id"] == "WL-1"
    assert lines[1]["matches"][0]["source_id"] == "WL-2"
    assert all(m["source_id"] != "WL-1" for m in lines[2]["matches"])


def test_bad_input_is_a_clean_error(runner: CliRunner, list_file: Path, tmp_path: Path) -> None:
    _import(runner, list_file)
    bad_dob = runner.invoke(app, ["screen", "Tessaly Quorvan", "--dob", "02/04/1971"])
    assert bad_dob.exit_code == 2
    assert "use YYYY-MM-DD, YYYY-MM or YYYY" in bad_dob.output
    assert "Traceback" not in bad_dob.output

    queries = tmp_path / "q.csv"
    queries.write_text("id,name\nq1,Tessaly Quorvan\n", encoding="utf-8")
    no_output = runner.invoke(app, ["screen", "--input", str(queries)])
    assert no_output.exit_code == 2
    assert "--output is needed with --input" in no_output.output
    assert "Traceback" not in no_output.output

    nameless = tmp_path / "nameless.csv"
    nameless.write_text("id,surname\nq1,Quorvan\n", encoding="utf-8")
    args = ["screen", "--input", str(nameless), "--output", str(tmp_path / "r.jsonl")]
    no_name = runner.invoke(app, args)
    assert no_name.exit_code == 2 and "has no 'name' column" in no_name.output

    bad_batch_dob = tmp_path / "bad-dob.csv"
    bad_batch_dob.write_text("id,name,date_of_birth\nq1,Tessaly Quorvan,1971-4-2x\n")
    args = ["screen", "--input", str(bad_batch_dob), "--output", str(tmp_path / "r2.jsonl")]
    bad_row = runner.invoke(app, args)
    assert bad_row.exit_code == 2 and "date of birth '1971-4-2x'" in bad_row.output

    nothing = runner.invoke(app, ["screen"])
    assert nothing.exit_code == 2 and "give a NAME" in nothing.output

    # Service errors propagate out of `app` (main() turns them into a message and exit code).
    args = ["watchlist", "import", str(list_file), "--list", "national", "--format", "xls"]
    unknown = runner.invoke(app, args)
    assert isinstance(unknown.exception, WatchlistError)
    assert "unknown list format 'xls'" in str(unknown.exception)
    args = ["watchlist", "import", str(tmp_path / "none.csv"), "--list", "x", "--format", "csv"]
    missing = runner.invoke(app, args)
    assert isinstance(missing.exception, WatchlistError)
    assert "no such file" in str(missing.exception)


def test_the_installed_command_reports_errors_without_a_traceback(
    env: dict[str, str], list_file: Path
) -> None:
    firstline = Path(sys.executable).with_name("firstline")
    run_env = os.environ | env | {"COLUMNS": "200"}
    unknown = subprocess.run(
        [str(firstline), "watchlist", "import", str(list_file), "--list", "n", "--format", "xls"],
        capture_output=True, text=True, env=run_env, timeout=120, check=False,
    )  # fmt: skip
    assert unknown.returncode == 2, unknown.stderr
    assert "error (watchlist_error): unknown list format 'xls'" in unknown.stderr
    assert "Traceback" not in unknown.stderr + unknown.stdout
    bad_dob = subprocess.run(
        [str(firstline), "screen", "Tessaly Quorvan", "--dob", "1971-02-30"],
        capture_output=True, text=True, env=run_env, timeout=120, check=False,
    )  # fmt: skip
    assert bad_dob.returncode == 2
    assert "1971-02-30" in bad_dob.stderr and "Traceback" not in bad_dob.stderr


def test_hits_after_an_ingest(runner: CliRunner, list_file: Path, tmp_path: Path) -> None:
    _import(runner, list_file, "--category", "wanted", "--severity", "high")
    flight = _tomorrow_flight(tmp_path, QUORVAN, PELLINGRAY)
    ingested = runner.invoke(app, ["ingest", str(flight)])
    assert ingested.exit_code == 0, ingested.output
    (hit,) = _json(runner, "hits")
    assert (hit["surname"], hit["given_names"]) == ("QUORVAN", "TESSALY")
    assert hit["source"] == "watchlist" and hit["current"] is True and hit["status"] == "open"
    assert (hit["category"], hit["severity"]) == ("wanted", "high")
    assert hit["score"] >= 0.8 and hit["title"].startswith("national: ")
    assert hit["explanation"]["source_id"] == "WL-1" and hit["explanation"]["summary"]
    assert hit["flight_key"]
    table = runner.invoke(app, ["hits"])
    assert table.exit_code == 0 and "QUORVAN, TESSALY" in table.stdout
    assert "Name matches" in table.stdout


def test_importing_a_list_screens_flights_still_to_come(
    runner: CliRunner, list_file: Path, tmp_path: Path
) -> None:
    flight = _tomorrow_flight(tmp_path, QUORVAN, PELLINGRAY)
    assert runner.invoke(app, ["ingest", str(flight)]).exit_code == 0
    assert _json(runner, "hits") == []
    out = _import(runner, list_file)
    assert "re-screened 2 travellers of flights not yet arrived: 1 new hits, 0 withdrawn" in out
    (hit,) = _json(runner, "hits")
    assert hit["explanation"]["source_id"] == "WL-1"

    # A new version without WL-1 withdraws the hit on the next import.
    shorter = list_file.with_name("national-2.csv")
    shorter.write_text(LIST_CSV.replace("WL-1,QUORVAN,TESSALY,1971-04-02,FRA,QX100001\n", ""))
    out = _import(runner, shorter)
    assert "0 new hits, 1 withdrawn" in out
    assert _json(runner, "hits") == []
    out = _import(runner, list_file, "--no-rescreen")
    assert "re-screened" not in out
    assert _json(runner, "hits") == []


def test_a_manual_entry_is_screened_and_survives_imports(
    runner: CliRunner, list_file: Path
) -> None:
    _import(runner, list_file)
    added = runner.invoke(
        app,
        ["watchlist", "add", "national", "--id", "M-1", "--surname", "ZELBORN",
         "--given-names", "ARIC", "--dob", "1975-02-03", "--nationality", "deu",
         "--alias", "Aric Zelbourne", "--note", "synthetic"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "entry M-1 saved as version 2" in added.stdout
    found = _json(runner, "screen", "Zelbourne Aric", "--dob", "1975-02-03")
    assert found[0]["source_id"] == "M-1" and found[0]["score"] >= 0.95
    _import(runner, list_file)  # a new version of the csv origin leaves manual entries alone
    assert _json(runner, "screen", "Aric Zelborn")[0]["source_id"] == "M-1"
    origins = [v["origin"] for v in _json(runner, "watchlist", "history", "national")]
    assert origins == ["csv", "manual", "csv"]
    missing = runner.invoke(app, ["watchlist", "add", "national", "--id", "M-2"])
    assert missing.exit_code == 2 and "--surname" in missing.output


def test_a_batch_screened_by_two_workers_equals_one(
    runner: CliRunner, list_file: Path, tmp_path: Path
) -> None:
    _import(runner, list_file)
    queries = tmp_path / "q.csv"
    with queries.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "date_of_birth"])
        # More than one chunk of 500, so both workers get work, in a known order.
        for n in range(1200):
            name = ["Tessaly Quorvan", "Oskan Brimwether", "Zebulon Ickworthy-Plum"][n % 3]
            writer.writerow([f"q{n}", name, "1971-04-02" if n % 2 else ""])
    outputs = []
    for workers in ("1", "2"):
        output = tmp_path / f"r{workers}.jsonl"
        result = runner.invoke(
            app,
            ["screen", "--list", "national", "--input", str(queries), "--output", str(output),
             "--min-score", "0.5", "--workers", workers],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert f"{workers} worker(s)" in result.stderr
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1]
    ids = [json.loads(line)["id"] for line in outputs[0].splitlines()]
    assert ids == [f"q{n}" for n in range(1200)]
