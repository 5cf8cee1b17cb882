"""The UN consolidated list: every count of shared/watchlists/README.md §1.1."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from watchlists.reading import Read

from firstline.model.watchlist import EntrySchema, ListedDate, NameKind, Rejection
from firstline.watchlists import ListFormatError, read_list


def test_entries_and_header(un_list: Read) -> None:
    info, entries, rejections = un_list
    assert rejections == []
    assert info.published == date(2026, 2, 27)
    assert len(entries) == 1003
    assert Counter(e.schema for e in entries) == {
        EntrySchema.PERSON: 730,
        EntrySchema.ORGANIZATION: 273,
    }
    assert len({e.source_id for e in entries}) == 1003
    assert all(e.reference and e.listed_on and e.programs for e in entries)


def test_aliases_by_quality(un_list: Read) -> None:
    _, entries, _ = un_list
    names = Counter((n.kind, n.quality) for e in entries for n in e.names)
    assert names[(NameKind.ALIAS, "Good")] == 1524
    assert names[(NameKind.WEAK_ALIAS, "Low")] == 615
    assert names[(NameKind.ALIAS, "a.k.a.")] == 594
    assert names[(NameKind.FORMER, "f.k.a.")] == 19
    aliases = sum(n for (kind, _), n in names.items() if kind is not NameKind.PRIMARY)
    assert aliases - names[(NameKind.ORIGINAL_SCRIPT, None)] == 2752
    assert all(n.full for e in entries for n in e.names)  # empty aliases skipped


def test_names_keep_parts_without_roles(un_list: Read) -> None:
    _, entries, _ = un_list
    for entry in entries:
        primary = entry.names[0]
        assert primary.kind is NameKind.PRIMARY
        assert primary.given is None and primary.family is None
        assert primary.full == " ".join(primary.parts)
    persons = [e for e in entries if e.schema is EntrySchema.PERSON]
    assert max(len(e.names[0].parts) for e in persons) == 4


def test_original_script(un_list: Read) -> None:
    _, entries, _ = un_list
    scripts = Counter(
        e.schema for e in entries for n in e.names if n.kind is NameKind.ORIGINAL_SCRIPT
    )
    assert scripts == {EntrySchema.PERSON: 336, EntrySchema.ORGANIZATION: 42}


def test_birth_dates_keep_precision(un_list: Read) -> None:
    _, entries, _ = un_list
    persons = [e for e in entries if e.schema is EntrySchema.PERSON]
    assert sum(1 for e in persons if e.birth_dates) == 677
    dates = [d for e in persons for d in e.birth_dates]
    year_only = [d for d in dates if d.month is None and d.to_year is None]
    assert len(year_only) == 378
    assert sum(1 for d in dates if d.to_year is not None) == 31
    assert all(d.day is not None for d in dates if d.month is not None)
    # the first DRC entry: <YEAR>1971</YEAR> stays a year, never 1971-01-01
    first = next(e for e in entries if e.source_id == "6907993")
    assert first.birth_dates == [ListedDate(1971)]


def test_nationalities_are_alpha3(un_list: Read) -> None:
    _, entries, _ = un_list
    persons = [e for e in entries if e.schema is EntrySchema.PERSON]
    assert sum(1 for e in persons if e.nationalities or "nationality" in e.extra) == 625
    codes = {c for e in persons for c in e.nationalities}
    assert all(len(c) == 3 and c.isupper() for c in codes)
    assert {"PRK", "IRN", "COD", "AFG"} <= codes
    # the one value no country table can map is kept as text, not dropped
    assert [e.extra["nationality"] for e in persons if "nationality" in e.extra] == [
        "former Soviet Union"
    ]


def test_documents(un_list: Read) -> None:
    _, entries, _ = un_list
    documents = [d for e in entries for d in e.documents]
    assert len(documents) == 454
    assert sum(1 for e in entries if e.documents) == 272
    assert all(e.schema is EntrySchema.PERSON for e in entries if e.documents)
    assert Counter(d.type for d in documents) == {"passport": 310, "national_id": 144}
    assert all(d.number == d.number.strip() for d in documents)
    assert all(d.country is None or len(d.country) == 3 for d in documents)


def test_gender_places_addresses(un_list: Read) -> None:
    _, entries, _ = un_list
    assert Counter(e.gender for e in entries if e.gender) == {"M": 52, "F": 2}
    assert sum(1 for e in entries if e.birth_places) > 500
    assert sum(1 for e in entries if e.addresses) == 528


def test_truncated_file_keeps_entries_and_reports_where(
    watchlists_dir: Path, tmp_path: Path
) -> None:
    source = watchlists_dir / "un" / "un_consolidated_2026-02-27.xml"
    cut = tmp_path / "cut.xml"
    cut.write_bytes(source.read_bytes()[:200_000])
    _, items = read_list([cut], "un-xml")
    read = list(items)
    *entries, last = read
    assert len(entries) > 50 and not any(isinstance(e, Rejection) for e in entries)
    assert isinstance(last, Rejection)
    assert last.location.startswith("cut.xml line ") and ", column " in last.location


def test_wrong_root_and_not_xml(tmp_path: Path, watchlists_dir: Path) -> None:
    ofac = watchlists_dir / "ofac_consolidated" / "cons_list_2025-03-28.xml"
    with pytest.raises(ListFormatError, match="not the expected list format") as caught:
        read_list([ofac], "un-xml")
    assert caught.value.found == "<sdnList>"
    not_xml = tmp_path / "list.xml"
    not_xml.write_text("DATAID,NAME\n1,X\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="not well-formed") as caught:
        read_list([not_xml], "un-xml")
    assert caught.value.line == 1
    broken = tmp_path / "broken.xml"
    broken.write_text("<CONSOLIDATED_LIST>\n<<oops", encoding="utf-8")
    read = list(read_list([broken], "un-xml")[1])
    assert len(read) == 1 and isinstance(read[0], Rejection)
    assert read[0].location == "broken.xml line 2, column 1"
