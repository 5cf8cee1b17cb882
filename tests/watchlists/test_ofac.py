"""OFAC legacy CSV and XML (README §1.2, §1.3), and the two formats agreeing on shared ids."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from watchlists.reading import Read, read_all

from firstline.model.watchlist import EntrySchema, ListedDate, ListEntry, NameKind, Rejection
from firstline.watchlists import read_list
from firstline.watchlists.ofac_ids import IdRole, classify


def test_csv_entries(ofac_csv_list: Read) -> None:
    info, entries, rejections = ofac_csv_list
    assert rejections == []  # the Ctrl-Z line is ignored, not rejected
    assert info.notes == []  # alt, add and comments were found beside the primary file
    assert len(entries) == 442
    assert Counter(e.schema for e in entries)[EntrySchema.PERSON] == 79
    haniya = next(e for e in entries if e.source_id == "9639")
    assert haniya.names[0].family == "HANIYA"
    assert haniya.names[0].given == "Ismail Abdul Salah"
    assert haniya.birth_dates == [ListedDate(1962)]
    assert haniya.birth_places == ["Shati"]
    multi = next(e for e in entries if e.source_id == "9647")
    assert multi.programs == ["SDGT", "NS-PLC"]
    assert multi.nationalities == ["PSE"] and multi.gender == "M"


def test_csv_alternate_names(ofac_csv_list: Read) -> None:
    _, entries, _ = ofac_csv_list
    alts = Counter(n.quality for e in entries for n in e.names if n.quality in ("aka", "fka"))
    assert alts == {"aka": 932, "fka": 141}
    kinds = Counter(n.kind for e in entries for n in e.names if n.quality == "fka")
    assert kinds == {NameKind.FORMER: 141}
    assert sum(1 for e in entries if any(n.quality in ("aka", "fka") for n in e.names)) == 395
    # "a.k.a. 'RUSAG'" in the remarks becomes an alias too
    assert any(n.quality == "remarks" and n.full == "RUSAG" for e in entries for n in e.names)


def test_csv_remarks(ofac_csv_list: Read) -> None:
    _, entries, _ = ofac_csv_list
    # README §1.2 says 75 entries have a DOB: the file holds 74 (75 is the XML's count).
    assert sum(1 for e in entries if e.birth_dates) == 74
    assert sum(1 for e in entries if e.birth_places) == 21
    assert sum(len(e.addresses) for e in entries) == 522  # 574 rows, 52 all "-0-"
    # README §1.2 counts 218 tax ids and 250 registration numbers in cons_prim.csv alone; the
    # comments file completes 4 and 6 more that were cut at 1,000 characters.
    tax = sum(1 for e in entries if any(i.kind == "tax_id" for i in e.identifiers))
    assert tax == 222
    registrations = sum(1 for e in entries for i in e.identifiers if i.kind == "registration")
    assert registrations == 258  # 256 "Registration ID/Number" + business/public/company
    assert sum(1 for e in entries if any(i.kind == "email" for i in e.identifiers)) == 125
    haiti = next(e for e in entries if e.nationalities == ["HTI"])
    assert haiti.birth_dates == [ListedDate(1961, 2, 12)]
    assert Counter(d.type for d in haiti.documents) == {"driving_licence": 1, "national_id": 1}
    assert {d.country for d in haiti.documents} == {"USA", "HTI"}
    # remarks cut at 1,000 characters continue in cons_comments.csv
    sber = next(e for e in entries if e.source_id == "17018")
    assert sber.remarks and "SBERBANK MUMBAI" in sber.remarks
    assert any(n.full == "SBERBANK MUMBAI" for n in sber.names)


def test_xml_entries(ofac_xml_list: Read) -> None:
    info, entries, rejections = ofac_xml_list
    assert rejections == [] and info.notes == []
    assert info.published == date(2025, 3, 28) and info.record_count == 443
    assert len(entries) == 443
    assert Counter(e.schema for e in entries)[EntrySchema.PERSON] == 80
    akas = [n for e in entries for n in e.names if n.kind is not NameKind.PRIMARY]
    assert len(akas) == 1136
    assert Counter(n.quality for n in akas) == {"strong": 1066, "weak": 70}
    assert Counter(n.kind for n in akas) == {
        NameKind.ALIAS: 925,
        NameKind.WEAK_ALIAS: 67,
        NameKind.FORMER: 144,  # 3 of them weak
    }
    assert sum(1 for e in entries if e.birth_dates) == 75
    assert sum(len(e.birth_places) for e in entries) == 21
    assert sum(len(e.addresses) for e in entries) == 520


def test_xml_id_list_mapping(ofac_xml_list: Read) -> None:
    _, entries, _ = ofac_xml_list
    kinds = Counter(i.kind for e in entries for i in e.identifiers)
    assert kinds["website"] == 176 and kinds["email"] == 125 and kinds["isin"] == 165
    assert kinds["tax_id"] == 213
    notes = Counter(k for e in entries for k in e.extra)
    assert notes["secondary_sanctions_risk"] == 288  # entries, 361 notes
    assert notes["target_type"] == 87
    assert notes["Executive Order 13662 Directive Determination"] == 286
    assert not any(
        "Secondary" in i.kind or "Executive" in i.kind for e in entries for i in e.identifiers
    )
    assert Counter(e.gender for e in entries if e.gender) == {"M": 3}


def test_unknown_id_type_is_kept_and_reported(tmp_path: Path) -> None:
    xml = tmp_path / "sdn.xml"
    xml.write_text(
        '<sdnList xmlns="urn:x"><sdnEntry><uid>1</uid><lastName>EXAMPLE TRADING</lastName>'
        "<sdnType>Entity</sdnType><idList><id><idType>Vessel Registration Identification"
        "</idType><idNumber>IMO 0000001</idNumber></id></idList></sdnEntry></sdnList>",
        encoding="utf-8",
    )
    info, entries, _ = read_all([xml], "ofac-xml")
    assert [(i.kind, i.value) for i in entries[0].identifiers] == [
        ("Vessel Registration Identification", "IMO 0000001")
    ]
    assert info.notes == [
        "unknown idType 'Vessel Registration Identification' kept as identifier (1)"
    ]
    assert classify("Passport").role is IdRole.DOCUMENT


def test_csv_and_xml_agree_on_shared_ids(ofac_csv_list: Read, ofac_xml_list: Read) -> None:
    csv_entries = {e.source_id: e for e in ofac_csv_list[1]}
    xml_entries = {e.source_id: e for e in ofac_xml_list[1]}
    shared = csv_entries.keys() & xml_entries.keys()
    assert len(shared) == 442 and set(xml_entries) - shared == {"26182"}

    def norm(entry: ListEntry) -> str:
        return " ".join((entry.primary_name or "").split()).casefold()

    differ = {i for i in shared if norm(csv_entries[i]) != norm(xml_entries[i])}
    # 12 entries gained RUSSIA-EO14024 between the two publications
    programs = {i for i in shared if set(csv_entries[i].programs) != set(xml_entries[i].programs)}
    assert len(programs) == 12
    # one entity was renamed between the two publications
    # ("RN KOMSOMOLSKIY ..." in the CSV, "RN-KOMSOMOLSKY ..." in the XML)
    assert differ == {"18284"}
    for source_id in shared:
        left, right = csv_entries[source_id], xml_entries[source_id]
        assert left.schema == right.schema
        assert left.birth_dates == right.birth_dates
        if left.schema is EntrySchema.PERSON:
            assert (left.names[0].given, left.names[0].family) == (
                right.names[0].given,
                right.names[0].family,
            )


def test_csv_side_files_given_explicitly_and_bad_row(watchlists_dir: Path, tmp_path: Path) -> None:
    folder = watchlists_dir / "ofac_consolidated"
    paths = [folder / name for name in ("cons_alt.csv", "cons_prim.csv", "cons_add.csv")]
    info, entries, _ = read_all(paths, "ofac-csv")
    assert len(entries) == 442 and info.notes == []  # comments still found beside
    prim = tmp_path / "sdn.csv"
    prim.write_bytes(
        b'1,"EXAMPLE, Person","individual","TEST",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        b'"DOB 31 Feb 1970; a.k.a. \'EX\'."\r\n2,"short row"\r\n\x1a\r\n'
    )
    info, items = read_list([prim], "ofac-csv")
    read = list(items)
    assert sorted(info.notes) == [
        "no add file found",
        "no alt file found",
        "no comments file found",
    ]
    entry, rejection = read
    assert isinstance(entry, ListEntry) and isinstance(rejection, Rejection)
    assert entry.birth_dates == [] and entry.extra["date_of_birth_unparsed"] == "31 Feb 1970"
    assert rejection.location == "sdn.csv line 2"
