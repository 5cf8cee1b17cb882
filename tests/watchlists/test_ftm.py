"""FollowTheMoney JSON lines, on a synthetic fixture (invented names only)."""

from __future__ import annotations

from watchlists.reading import FIXTURES, read_all

from firstline.model.watchlist import EntrySchema, ListedDate, NameKind


def test_ftm_entities() -> None:
    info, entries, rejections = read_all([FIXTURES / "ftm_synthetic.jsonl"], "ftm")
    assert [e.source_id for e in entries] == ["syn-p-1", "syn-o-1", "syn-v-1", "syn-p-2"]
    assert info.notes == ["skipped 1 Address entities", "skipped 1 Sanction entities"]
    person, company, vessel, solo = entries
    assert person.schema is EntrySchema.PERSON and company.schema is EntrySchema.ORGANIZATION
    assert vessel.schema is EntrySchema.VESSEL
    assert [(n.kind, n.given, n.family) for n in person.names[:1]] == [
        (NameKind.PRIMARY, "Tamsin", "QUILLBERRY")
    ]
    assert [n.kind for n in person.names[1:]] == [
        NameKind.ALIAS,
        NameKind.WEAK_ALIAS,
        NameKind.FORMER,
    ]
    assert person.birth_dates == [ListedDate(1970), ListedDate(1970, 3, 12)]
    assert person.nationalities == ["IRN", "SYR"] and person.gender == "F"
    assert [(d.type, d.number) for d in person.documents] == [
        ("passport", "X0000009"),
        ("national_id", "ID-9"),
    ]
    assert {i.kind for i in person.identifiers} == {"email", "phone"}
    assert person.programs == ["TEST-PROGRAM"] and person.remarks == "Synthetic test person."
    assert [n.kind for n in company.names] == [NameKind.PRIMARY, NameKind.ALIAS]
    assert {i.kind for i in company.identifiers} == {"tax_id", "registration"}
    assert [i.kind for i in vessel.identifiers] == ["imo"]
    # a bare string is accepted; a bad date keeps the entry and is noted
    assert solo.names[0].full == "Solo Example" and solo.extra == {"invalid_birthDate": "19x0"}


def test_ftm_bad_lines_are_rejected_with_their_line() -> None:
    _, _, rejections = read_all([FIXTURES / "ftm_synthetic.jsonl"], "ftm")
    assert [r.location for r in rejections] == [
        "ftm_synthetic.jsonl line 7",
        "ftm_synthetic.jsonl line 8",
    ]
    assert rejections[0].reason.startswith("not valid JSON at column ")
    assert rejections[1].reason == "not an entity: no id or schema"
