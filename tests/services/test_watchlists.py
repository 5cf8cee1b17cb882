"""Watchlist management end to end on real SQLite and PostgreSQL databases.

Every name, date and number below is invented.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from firstline.model.watchlist import EntrySchema, ListedDate, ListedName, ListEntry
from firstline.screening.matcher import Query
from firstline.services import watchlists as list_service
from firstline.services.screening import Screener
from firstline.services.watchlists import WatchlistError
from firstline.store import Store, open_store
from firstline.watchlists import ListFormatError
from firstline.watchlists.formats import read_list

REPO_ROOT = Path(__file__).resolve().parents[2]
FTM_FIXTURE = REPO_ROOT / "tests" / "watchlists" / "fixtures" / "ftm_synthetic.jsonl"

HEADER = "id,surname,given_names,date_of_birth,nationality,document_number\n"
QUORVAN = "WL-1,QUORVAN,TESSALY,1971-04-02,FRA,QX100001\n"
BRIMWETHER = "WL-2,BRIMWETHER,OSKAN,1965-07-19,DEU,\n"
VANTRELL = "WL-3,VANTRELL,MIRABEL ANNE,1980-11-30,ITA,QX100003\n"
NO_NAME = "WL-9,,,,,\n"  # neither name nor document: rejected


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


@pytest.fixture(scope="session")
def shared_watchlists() -> Path:
    """The shared real list files (read-only), as tests/watchlists/conftest.py finds them."""
    raw = os.environ.get("FIRSTLINE_WATCHLISTS")
    path = Path(raw).expanduser() if raw else REPO_ROOT.parent / "shared" / "watchlists"
    if not path.is_dir():
        pytest.fail(
            f"watchlists not found at {path}; check out ../shared/watchlists or set "
            "FIRSTLINE_WATCHLISTS.",
            pytrace=False,
        )
    return path.resolve()


def _csv(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def _entries(store: Store, name: str) -> int:
    (row,) = [r for r in list_service.lists(store) if r["name"] == name]
    return int(row["entries"])


def _found(screener: Screener, query: Query, **kwargs: object) -> set[tuple[str, str]]:
    """(list name, source id) of what screening the query finds at or above 0.8."""
    matches = screener.screen_query(query, min_score=0.8, **kwargs)  # type: ignore[arg-type]
    return {(m.list_name, m.match.subject.source_id) for m in matches}


QUORVAN_QUERY = Query(family="QUORVAN", given="TESSALY", birth_date=date(1971, 4, 2))


def test_versions_say_what_each_import_changed(store: Store, tmp_path: Path) -> None:
    first = _csv(tmp_path / "national.csv", QUORVAN, BRIMWETHER, VANTRELL, NO_NAME)
    report = list_service.import_list(
        store, "national", [first], "csv", category="wanted", severity="high"
    )
    assert (report.list_name, report.version, report.format) == ("national", 1, "csv")
    assert (report.entries, report.added, report.changed, report.removed) == (3, 3, 0, 0)
    assert (report.unchanged, report.rejected) == (0, 1)
    assert report.rejections[0].reason == "no name and no document number"

    again = list_service.import_list(store, "national", [first], "csv")
    assert again.version == 2
    assert (again.entries, again.added, again.changed, again.removed) == (3, 0, 0, 0)
    assert again.unchanged == 3

    edited = _csv(
        tmp_path / "national-edited.csv",
        QUORVAN,
        BRIMWETHER.replace("1965-07-19", "1966-07-19"),  # changed
        # VANTRELL removed
        "WL-4,ZELLIQUE,PORRIN,1990,ESP,QX100004\n",  # added
    )
    third = list_service.import_list(store, "national", [edited], "csv")
    assert third.version == 3
    assert (third.entries, third.added, third.changed, third.removed) == (3, 1, 1, 1)
    assert (third.unchanged, third.rejected) == (1, 0)

    (listed,) = list_service.lists(store)
    assert listed["name"] == "national" and listed["version"] == 3 and listed["entries"] == 3
    assert (listed["category"], listed["severity"], listed["active"]) == ("wanted", "high", True)

    versions = list(list_service.history(store, "national"))
    assert [v["number"] for v in versions] == [1, 2, 3]
    assert [v["origin"] for v in versions] == ["csv"] * 3
    changes = [{(c["change"], c["source_id"]) for c in v["changes"]} for v in versions]
    assert changes == [
        {("added", "WL-1"), ("added", "WL-2"), ("added", "WL-3")},
        set(),
        {("changed", "WL-2"), ("removed", "WL-3"), ("added", "WL-4")},
    ]
    assert all(c["name"] for v in versions for c in v["changes"])
    rejections = [[(r["reason"], r["record"]) for r in v["rejections"]] for v in versions]
    assert rejections == [
        [("no name and no document number", "id=WL-9")],
        [("no name and no document number", "id=WL-9")],
        [],
    ]
    assert [(v["entries"], v["added"], v["changed"], v["removed"]) for v in versions] == [
        (3, 3, 0, 0),
        (3, 0, 0, 0),
        (3, 1, 1, 1),
    ]
    assert versions[0]["files"][0]["name"] == "national.csv"
    assert versions[2]["files"][0]["name"] == "national-edited.csv"

    # The list as it is now: the changed birth date, the removed entry no longer screened.
    screener = Screener(store)
    brimwether = Query(family="BRIMWETHER", given="OSKAN", birth_date=date(1966, 7, 19))
    assert ("national", "WL-2") in _found(screener, brimwether)
    vantrell = Query(family="VANTRELL", given="MIRABEL ANNE", birth_date=date(1980, 11, 30))
    assert not any(source == "WL-3" for _, source in _found(screener, vantrell))


def test_a_csv_of_only_bad_rows_changes_nothing(store: Store, tmp_path: Path) -> None:
    list_service.import_list(store, "national", [_csv(tmp_path / "good.csv", QUORVAN)], "csv")
    bad = _csv(tmp_path / "bad.csv", NO_NAME, "WL-8,,,1970,FRA,\n")
    with pytest.raises(WatchlistError) as caught:
        list_service.import_list(store, "national", [bad], "csv")
    message = str(caught.value)
    assert "no entry could be read from bad.csv as csv" in message
    assert "no name and no document number" in message
    assert "the list was not changed" in message
    assert _entries(store, "national") == 1
    assert [v["number"] for v in list_service.history(store, "national")] == [1]
    assert ("national", "WL-1") in _found(Screener(store), QUORVAN_QUERY)


def test_a_file_in_the_wrong_format_changes_nothing(
    store: Store, tmp_path: Path, shared_watchlists: Path
) -> None:
    list_service.import_list(store, "national", [_csv(tmp_path / "good.csv", QUORVAN)], "csv")
    un_file = shared_watchlists / "un" / "un_consolidated_2026-02-27.xml"
    # The CSV reader refuses the XML at its header: a ListFormatError (a FirstlineError
    # with line/expected/found), raised before any version is written.
    with pytest.raises(ListFormatError) as caught:
        list_service.import_list(store, "national", [un_file], "csv")
    assert "header has no name, surname or document_number column" in str(caught.value)
    # A CSV read as FtM yields only rejections: the service refuses the empty import.
    with pytest.raises(WatchlistError, match=r"no entry could be read from good\.csv as ftm"):
        list_service.import_list(store, "national", [tmp_path / "good.csv"], "ftm")
    assert _entries(store, "national") == 1
    assert [v["number"] for v in list_service.history(store, "national")] == [1]


def test_a_failed_first_import_leaves_no_empty_list(store: Store, tmp_path: Path) -> None:
    bad = _csv(tmp_path / "bad.csv", NO_NAME)
    with pytest.raises(WatchlistError):
        list_service.import_list(store, "brand-new", [bad], "csv")
    assert [r["name"] for r in list_service.lists(store)] == []


def test_unknown_format_and_missing_file_are_clear_errors(store: Store, tmp_path: Path) -> None:
    good = _csv(tmp_path / "good.csv", QUORVAN)
    with pytest.raises(WatchlistError) as unknown:
        list_service.import_list(store, "national", [good], "xls")
    assert "unknown list format 'xls'" in str(unknown.value)
    assert "csv" in str(unknown.value) and "un-xml" in str(unknown.value)
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(WatchlistError, match=r"no such file: .*nowhere\.csv"):
        list_service.import_list(store, "national", [missing], "csv")
    # Neither error created the list.
    assert list_service.lists(store) == []
    with pytest.raises(WatchlistError, match="no list named 'national'"):
        list(list_service.history(store, "national"))
    with pytest.raises(WatchlistError, match="unknown category 'astrology'"):
        list_service.import_list(store, "national", [good], "csv", category="astrology")
    with pytest.raises(WatchlistError, match="unknown severity 'extreme'"):
        list_service.import_list(store, "national", [good], "csv", severity="extreme")


def test_origins_of_one_list_are_versioned_apart(store: Store, tmp_path: Path) -> None:
    _info, items = read_list([FTM_FIXTURE], "ftm")
    ftm_ids = {i.source_id for i in items if isinstance(i, ListEntry)}
    assert len(ftm_ids) >= 2

    csv_report = list_service.import_list(
        store, "combined", [_csv(tmp_path / "a.csv", QUORVAN, BRIMWETHER)], "csv"
    )
    ftm_report = list_service.import_list(store, "combined", [FTM_FIXTURE], "ftm")
    assert (csv_report.version, ftm_report.version) == (1, 2)
    assert ftm_report.added == len(ftm_ids) and ftm_report.removed == 0
    assert ftm_report.rejected >= 1  # the fixture's malformed lines
    assert _entries(store, "combined") == 2 + len(ftm_ids)

    # A new csv version without WL-2 removes WL-2 only, not the FtM entries.
    shorter = list_service.import_list(
        store, "combined", [_csv(tmp_path / "b.csv", QUORVAN)], "csv"
    )
    assert (shorter.version, shorter.removed, shorter.unchanged, shorter.added) == (3, 1, 1, 0)
    assert _entries(store, "combined") == 1 + len(ftm_ids)
    versions = list(list_service.history(store, "combined"))
    assert [v["origin"] for v in versions] == ["csv", "ftm", "csv"]
    assert [(c["change"], c["source_id"]) for c in versions[2]["changes"]] == [("removed", "WL-2")]
    # And an FtM re-import leaves the csv entry alone.
    again = list_service.import_list(store, "combined", [FTM_FIXTURE], "ftm")
    assert (again.removed, again.unchanged) == (0, len(ftm_ids))
    assert _entries(store, "combined") == 1 + len(ftm_ids)

    screener = Screener(store)
    assert ("combined", "WL-1") in _found(screener, QUORVAN_QUERY)
    assert ("combined", "syn-p-1") in _found(
        screener, Query(name="Tamsin Orvel QUILLBERRY", birth_date=date(1970, 3, 12))
    )


def test_a_manual_entry_survives_the_next_import(store: Store, tmp_path: Path) -> None:
    source = _csv(tmp_path / "national.csv", QUORVAN)
    list_service.import_list(store, "national", [source], "csv")
    manual = ListEntry(
        source_id="MAN-1",
        schema=EntrySchema.PERSON,
        names=[ListedName("Quinby HALLORETTE", given="Quinby", family="HALLORETTE")],
        birth_dates=[ListedDate(1958, 2, 14)],
        nationalities=["NLD"],
    )
    assert list_service.add_entry(store, "national", manual) == 2
    assert _entries(store, "national") == 2
    later = list_service.import_list(store, "national", [source], "csv")
    assert (later.version, later.removed, later.unchanged) == (3, 0, 1)
    assert _entries(store, "national") == 2
    versions = list(list_service.history(store, "national"))
    assert [v["origin"] for v in versions] == ["csv", "manual", "csv"]
    assert [(c["change"], c["source_id"]) for c in versions[1]["changes"]] == [("added", "MAN-1")]
    hallorette = Query(family="HALLORETTE", given="QUINBY", birth_date=date(1958, 2, 14))
    assert ("national", "MAN-1") in _found(Screener(store), hallorette)
    with pytest.raises(WatchlistError, match="no list named 'elsewhere'"):
        list_service.add_entry(store, "elsewhere", manual)


def test_a_deactivated_list_is_not_screened(store: Store, tmp_path: Path) -> None:
    list_service.import_list(store, "national", [_csv(tmp_path / "n.csv", QUORVAN)], "csv")
    other = tmp_path / "other.csv"
    other.write_text(
        HEADER + "OT-1,QUORVAN,TESSALY,1971-04-02,FRA,\n", encoding="utf-8"
    )  # the same person on a second list
    list_service.import_list(store, "partner", [other], "csv")
    screener = Screener(store)  # one instance: its cached index must follow the lists
    assert _found(screener, QUORVAN_QUERY) == {("national", "WL-1"), ("partner", "OT-1")}

    list_service.set_active(store, "national", False)
    assert _found(screener, QUORVAN_QUERY) == {("partner", "OT-1")}
    assert _found(screener, QUORVAN_QUERY, list_names=["national"]) == set()
    (national,) = [r for r in list_service.lists(store) if r["name"] == "national"]
    assert national["active"] is False and national["entries"] == 1  # entries stay

    list_service.set_active(store, "national", True)
    assert _found(screener, QUORVAN_QUERY) == {("national", "WL-1"), ("partner", "OT-1")}
    assert _found(screener, QUORVAN_QUERY, list_names=["national"]) == {("national", "WL-1")}
    with pytest.raises(WatchlistError, match="no list named 'nowhere'"):
        list_service.set_active(store, "nowhere", False)


def test_the_un_consolidated_list(store: Store, shared_watchlists: Path) -> None:
    un_file = shared_watchlists / "un" / "un_consolidated_2026-02-27.xml"
    report = list_service.import_list(
        store, "un", [un_file], "un-xml", category="sanctions", severity="high"
    )
    assert (report.version, report.entries, report.added, report.rejected) == (1, 1003, 1003, 0)
    assert report.info.published is not None
    (listed,) = list_service.lists(store)
    assert (listed["name"], listed["entries"], listed["version"]) == ("un", 1003, 1)
    (version,) = list_service.history(store, "un")
    assert version["published"] == report.info.published
    assert len(version["changes"]) == 1003
    assert {c["change"] for c in version["changes"]} == {"added"}
    assert len({c["source_id"] for c in version["changes"]}) == 1003
