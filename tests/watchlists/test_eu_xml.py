"""EU Financial Sanctions File, on a synthetic fixture in the FSF layout (invented names)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from watchlists.reading import FIXTURES, read_all

from firstline.model.watchlist import EntrySchema, ListedDate, NameKind
from firstline.watchlists import ListFormatError, read_list


def test_eu_entities() -> None:
    info, entries, rejections = read_all([FIXTURES / "eu_fsf_synthetic.xml"], "eu-xml")
    assert rejections == [] and info.published == date(2030, 4, 2)
    person, company, bad_date = entries
    assert person.source_id == "900001" and person.reference == "EU.9001.01"
    assert person.listed_on == date(2029, 11, 3) and person.programs == ["TST"]
    assert person.schema is EntrySchema.PERSON and company.schema is EntrySchema.ORGANIZATION
    primary = person.names[0]
    assert (primary.kind, primary.given, primary.family) == (
        NameKind.PRIMARY,
        "Orvel Tamsin",
        "QUILLBERRY",
    )
    assert [n.kind for n in person.names[1:]] == [
        NameKind.ALIAS,
        NameKind.WEAK_ALIAS,
        NameKind.ALIAS,
    ]
    assert person.names[3].script == "RU" and person.gender == "M"
    assert person.nationalities == ["IRN"]  # "00" means unknown
    assert person.birth_dates == [ListedDate(1971, 6, 14), ListedDate(1972, approximate=True)]
    assert person.birth_places == ["Testville, IRAN"]
    assert [(d.type, d.country) for d in person.documents] == [
        ("passport", "IRN"),
        ("national_id", "IRN"),
    ]
    assert [(i.kind, i.value) for i in person.identifiers] == [("fiscalcode", "TX-0000003")]
    assert person.addresses == ["1 Example Street, Testville, 00001, IRAN"]
    # no designationDate: the regulation's publication date stands in
    assert company.listed_on == date(2028, 1, 10)
    assert company.birth_dates == [ListedDate(1960, to_year=1965)]
    assert bad_date.birth_dates == [] and "date_of_birth_unparsed" in bad_date.extra


def test_eu_wrong_root(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text('<?xml version="1.0"?>\n<sdnList/>', encoding="utf-8")
    with pytest.raises(ListFormatError) as caught:
        read_list([path], "eu-xml")
    assert caught.value.expected == "<export>" and caught.value.found == "<sdnList>"


def test_eu_entity_expansion_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE export [<!ENTITY a "aaaaaaaaaa">]>\n'
        "<export><sanctionEntity logicalId='1'>&a;</sanctionEntity></export>",
        encoding="utf-8",
    )
    with pytest.raises(ListFormatError):
        list(read_list([path], "eu-xml")[1])
