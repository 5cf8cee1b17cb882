"""Recognising the API and PNR records of one person on one flight."""

from __future__ import annotations

from datetime import date

from firstline.ingest.merge import Person, document_key, find_match, name_tokens


def person(surname: str, given: str, **kw: object) -> Person:
    return Person(surname=surname, given_names=given, **kw)  # type: ignore[arg-type]


def test_name_tokens_drop_titles_and_accents() -> None:
    assert name_tokens("Isabelle  Mrs") == ("ISABELLE",)
    assert name_tokens("O'NEIL-ÅSE") == ("ONEIL", "ASE")
    assert name_tokens(None) == ()


def test_document_number_wins_over_names() -> None:
    api = person("WILLIAMS", "JOHN DONALD", documents=frozenset({"MB140241"}))
    candidates = [
        person("WILLIAMS", "JOHN", record_id=1),
        person("WILIAMS", "J", documents=frozenset({"MB140241"}), record_id=2),
    ]
    match = find_match(api, candidates)
    assert match is not None and (match.record_id, match.evidence) == (2, "document")


def test_name_and_date_of_birth() -> None:
    pnr = person("Belt", "Isabelle Mrs", date_of_birth=date(1978, 7, 1))
    candidates = [
        person("BELT", "SOPHY", date_of_birth=date(2012, 9, 20), record_id=1),
        person("BELT", "ISABELLE RUTH", date_of_birth=date(1978, 7, 1), record_id=2),
    ]
    match = find_match(pnr, candidates)
    assert match is not None and (match.record_id, match.evidence) == (2, "name_dob")


def test_name_within_booking_only_without_conflicting_birth_dates() -> None:
    pnr = person("KUMAR", "LAL", booking_locators=frozenset({"ONE"}))
    same_booking = person("KUMAR", "LAL", booking_locators=frozenset({"ONE"}), record_id=7)
    other_booking = person("KUMAR", "LAL", booking_locators=frozenset({"TWO"}), record_id=8)
    match = find_match(pnr, [same_booking, other_booking])
    assert match is not None and (match.record_id, match.evidence) == (7, "name_booking")
    born = person(
        "KUMAR", "LAL", date_of_birth=date(1967, 12, 12), booking_locators=frozenset({"ONE"})
    )
    other_dob = person(
        "KUMAR",
        "LAL",
        date_of_birth=date(1990, 1, 1),
        booking_locators=frozenset({"ONE"}),
        record_id=9,
    )
    assert find_match(born, [other_dob]) is None


def test_ambiguous_names_are_not_merged() -> None:
    pnr = person("SMITH", "ANN", booking_locators=frozenset({"ABC"}))
    twins = [
        person("SMITH", "ANN", booking_locators=frozenset({"ABC"}), record_id=1),
        person("SMITH", "ANN", booking_locators=frozenset({"ABC"}), record_id=2),
    ]
    assert find_match(pnr, twins) is None


def test_document_key_normalises() -> None:
    assert document_key(" ab-12 34 ") == "AB1234"
    assert document_key("") is None


def test_shared_document_number_with_other_names_is_not_the_same_person() -> None:
    # The IG examples 5.1 and 5.2 give a passenger and a crew member the same passport number.
    passenger = person("WILLIAMS", "JOHN", documents=frozenset({"MB140241"}), is_crew=False)
    crew = person("CLARK", "MICHAEL", documents=frozenset({"MB140241"}), is_crew=True, record_id=1)
    assert find_match(passenger, [crew]) is None
    same_side = person("CLARK", "MICHAEL", documents=frozenset({"MB140241"}), record_id=2)
    assert find_match(passenger, [same_side]) is None


def test_crew_and_passengers_never_merge() -> None:
    crew = person("SMITH", "ANN", date_of_birth=date(1980, 1, 1), is_crew=True)
    passenger = person("SMITH", "ANN", date_of_birth=date(1980, 1, 1), is_crew=False, record_id=3)
    assert find_match(crew, [passenger]) is None
