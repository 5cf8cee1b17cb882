"""The generic CSV: the generator's two lists, and rows that go wrong."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner
from watchlists.reading import read_all

from firstline.cli import app
from firstline.model.watchlist import EntrySchema, ListedDate, NameKind, Rejection
from firstline.watchlists import ListFormatError, read_list


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("day")
    args = ["generate", "--date", "2030-05-01", "--flights", "5", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out / "_answers"


def test_generated_watchlist(answers: Path) -> None:
    info, entries, rejections = read_all([answers / "watchlist.csv"], "csv")
    assert rejections == [] and info.format == "csv"
    lines = (answers / "watchlist.csv").read_text(encoding="utf-8").splitlines()
    assert len(entries) == len(lines) - 1
    assert all(e.source_id.startswith("SYN-") for e in entries)
    assert all(e.schema is EntrySchema.PERSON for e in entries)
    assert all(e.names[0].family and e.names[0].given for e in entries)
    assert all(len(c) == 3 for e in entries for c in e.nationalities)
    assert all(e.valid_from is not None for e in entries)
    assert {"list_name", "category", "severity"} <= set(entries[0].extra)
    kinds = Counter(i.kind for e in entries for i in e.identifiers)
    assert kinds["phone"] > 0
    assert sum(1 for e in entries if e.documents) > 0


def test_generated_lost_stolen(answers: Path) -> None:
    _, entries, rejections = read_all([answers / "lost_stolen_documents.csv"], "csv")
    assert rejections == [] and entries
    for entry in entries:
        assert entry.schema is EntrySchema.DOCUMENT and entry.names == []
        (document,) = entry.documents
        assert entry.source_id == document.number
        assert document.type == "passport" and document.country and len(document.country) == 3
        assert "reported_on" in entry.extra


def test_columns_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "national.csv"
    path.write_text(
        "id,name,aliases,date_of_birth,nationality,gender,document_number,document_type,"
        "document_country,type,valid_to,severity\n"
        "A1,Orvel EXAMPLE,O. Example; Orv,circa 1970,Iran (Islamic Republic of);SY,male,"
        "X1,Numéro de passeport,FRA,person,2031-01-01,high\n"
        "A2,Example Shipping Co,,1961-1963,,,,,,organization,,\n"
        "A3,Bad Date Person,,1970-13-45,Atlantis,,,,,,,\n"
        "A4,,,,,,,,,,,\n",
        encoding="utf-8",
    )
    _, items = read_list([path], "csv")
    read = list(items)
    first, company, bad, *rejections = read
    assert not isinstance(first, Rejection) and not isinstance(company, Rejection)
    assert [n.kind for n in first.names] == [NameKind.PRIMARY, NameKind.ALIAS, NameKind.ALIAS]
    assert first.birth_dates == [ListedDate(1970, approximate=True)]
    assert first.nationalities == ["IRN", "SYR"] and first.gender == "M"
    assert first.documents[0].type == "passport" and first.documents[0].country == "FRA"
    assert first.valid_to == date(2031, 1, 1) and first.extra == {"severity": "high"}
    assert company.schema is EntrySchema.ORGANIZATION
    assert company.birth_dates == [ListedDate(1961, to_year=1963)]
    # a bad date keeps the entry (names intact) and is reported where it was
    assert not isinstance(bad, Rejection) and bad.names[0].full == "Bad Date Person"
    assert bad.extra["invalid_date_of_birth"] == "1970-13-45"
    assert [(r.location, r.record) for r in rejections] == [
        ("national.csv line 4, column date_of_birth", "1970-13-45"),
        ("national.csv line 4, column nationality", "Atlantis"),
        ("national.csv line 5, column name", "id=A4"),
    ]


def test_header_without_names_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("flight,date\nBA1,2030-01-01\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="no name, surname or document_number"):
        read_list([path], "csv")
