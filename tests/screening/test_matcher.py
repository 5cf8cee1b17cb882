"""The matcher end to end (MATCHING.md §3.4 score and documents, §3.5 explanation)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from firstline.model.watchlist import ListedDate, ListedName, ListEntry, NameKind
from firstline.screening.matcher import STAGE1_LIMIT, Match, Matcher, Query
from firstline.texts import said

EntryFactory = Callable[..., ListEntry]  # the `make_entry` fixture (conftest.py)

QADDAFI_DOB = ListedDate(1942, 6, 7)
SCHOLZ_DOB = ListedDate(1958, 6, 14)


def build(*entries: ListEntry, common_cap: int = 5000) -> Matcher:
    return Matcher.from_entries(((i, 1, e) for i, e in enumerate(entries)), common_cap=common_cap)


def by_id(matches: list[Match]) -> dict[str, Match]:
    return {m.subject.source_id: m for m in matches}


def only(matches: list[Match], source_id: str) -> Match:
    found = by_id(matches)
    assert source_id in found, f"{source_id} not in {list(found)}"
    return found[source_id]


@pytest.fixture
def matcher(make_entry: EntryFactory) -> Matcher:
    return build(
        make_entry(
            "QAD",
            "Muammar Qaddafi",
            birth_dates=[QADDAFI_DOB],
            nationalities=["LBY"],
            gender="M",
        ),
        make_entry(
            "SCH",
            "Olaf Scholz",
            documents=[("C01X00T47", "DEU")],
            birth_dates=[SCHOLZ_DOB],
            nationalities=["DEU"],
        ),
        make_entry(
            "VEL",
            ListedName("Darius Velkor"),
            ListedName("Kestrel Ombry", NameKind.WEAK_ALIAS),
        ),
        make_entry("OMB", ListedName("Kestrel Ombry", NameKind.ALIAS)),
        make_entry("TAV", "Amira Tavani"),
    )


# -- scores --------------------------------------------------------------------------------------


def test_exact_name_is_found_first(matcher: Matcher) -> None:
    matches = matcher.screen(Query(name="Muammar Qaddafi"))
    assert matches[0].subject.source_id == "QAD"


def test_scores_are_in_unit_interval(matcher: Matcher) -> None:
    queries = [
        Query(name="Muammar Qaddafi", birth_date=date(1942, 6, 7), nationality="LBY", gender="M"),
        Query(name="Moamar Kadhafi", birth_date=date(1990, 1, 2), nationality="FRA", gender="F"),
        Query(name="Olaf Scholz", documents=(("C01X00T47", "DEU"),), birth_date=date(1958, 6, 14)),
        Query(name="Kestrel Omby", birth_date=date(2001, 2, 3)),
    ]
    for query in queries:
        for match in matcher.screen(query):
            assert 0.0 <= match.score <= 1.0


def test_name_alone_never_reaches_one(matcher: Matcher) -> None:
    match = only(matcher.screen(Query(name="Muammar Qaddafi")), "QAD")
    assert match.name is not None and match.name.score == pytest.approx(1.0)
    assert match.score < 1.0


def test_agreeing_facts_rank_above_the_exact_name_alone(make_entry: EntryFactory) -> None:
    # Same name listed twice: one entry with the traveller's DOB and nationality, one bare.
    m = build(
        make_entry("B-BARE", "Darius Velkor"),
        make_entry(
            "Z-FACTS", "Darius Velkor", birth_dates=[ListedDate(1971, 5, 9)], nationalities=["NLD"]
        ),
    )
    matches = m.screen(Query(name="Darius Velkor", birth_date=date(1971, 5, 9), nationality="NLD"))
    assert [x.subject.source_id for x in matches] == ["Z-FACTS", "B-BARE"]
    assert matches[0].score > matches[1].score


def test_more_agreeing_facts_still_rank_higher_at_the_top(make_entry: EntryFactory) -> None:
    dob = ListedDate(1971, 5, 9)
    m = build(
        make_entry("A-DOB", "Darius Velkor", birth_dates=[dob]),
        make_entry("Z-DOB-NAT", "Darius Velkor", birth_dates=[dob], nationalities=["NLD"]),
    )
    matches = m.screen(Query(name="Darius Velkor", birth_date=date(1971, 5, 9), nationality="NLD"))
    assert matches[0].subject.source_id == "Z-DOB-NAT"


def test_dob_far_apart_lowers_but_keeps_a_strong_name_match(matcher: Matcher) -> None:
    plain = only(matcher.screen(Query(name="Muammar Qaddafi")), "QAD")
    far = only(matcher.screen(Query(name="Muammar Qaddafi", birth_date=date(1962, 6, 7))), "QAD")
    assert far.score < plain.score
    # Design §3.4: a strong penalty, never an automatic clear (list DOBs are often wrong).
    assert far.score >= 0.6
    dob_fact = next(f for f in far.facts if f.field == "date_of_birth")
    assert dob_fact.outcome == "far apart"


def test_transliterated_name_scores_below_exact(matcher: Matcher) -> None:
    exact = only(matcher.screen(Query(name="Muammar Qaddafi")), "QAD")
    variant = only(matcher.screen(Query(name="Moamar Kadhafi")), "QAD")
    assert 0.7 <= variant.score < exact.score


def test_weak_alias_scores_lower_than_strong_alias_of_same_text(matcher: Matcher) -> None:
    matches = by_id(matcher.screen(Query(name="Kestrel Ombry")))
    assert matches["VEL"].name_kind == "weak_alias"
    assert matches["OMB"].name_kind == "alias"
    assert matches["VEL"].score < matches["OMB"].score


def test_best_name_of_an_entry_is_kept(matcher: Matcher) -> None:
    match = only(matcher.screen(Query(name="Kestrel Ombry")), "VEL")
    assert match.listed_name == "Kestrel Ombry"
    match = only(matcher.screen(Query(name="Darius Velkor")), "VEL")
    assert match.listed_name == "Darius Velkor"
    assert match.name_kind == "primary"


def test_family_and_given_query_matches_listed_name(make_entry: EntryFactory) -> None:
    m = build(make_entry("VEL", ListedName("Darius Velkor", family="Velkor", given="Darius")))
    match = only(m.screen(Query(family="Velkor", given="Darius")), "VEL")
    assert match.name is not None and match.name.swapped is False
    swapped = only(m.screen(Query(family="Darius", given="Velkor")), "VEL")
    assert swapped.name is not None and swapped.name.swapped is True
    assert swapped.score < match.score


def test_mrz_query_matches_with_truncation(make_entry: EntryFactory) -> None:
    m = build(make_entry("QRT", "Bartholomew Maxim Johannesberg Quartermaine"))
    match = only(m.screen(Query(name="QUARTERMAINE<<BARTHOLOMEW<MAXIM<JOHANNE", mrz=True)), "QRT")
    assert match.name is not None
    assert any("cut-off" in p.method for p in match.name.pairs)
    assert match.score >= 0.85


def test_mrz_query_keeps_family_and_given_roles() -> None:
    parts, _truncated = Query(name="VELKOR<<DARIUS", mrz=True).parts()
    assert [(p.info.text, p.role) for p in parts] == [("velkor", "family"), ("darius", "given")]


# -- documents -----------------------------------------------------------------------------------


def test_document_only_exact_match_is_a_hit_whatever_the_name(matcher: Matcher) -> None:
    matches = matcher.screen(Query(name="Ysolde Pirwitz", documents=(("C01X00T47", "DEU"),)))
    match = only(matches, "SCH")
    assert match.score >= 0.97
    assert match.name is None
    assert any(f.field == "document" and f.outcome == "exact" for f in match.facts)


def test_document_without_any_name_is_found(matcher: Matcher) -> None:
    match = only(matcher.screen(Query(documents=(("C01X00T47", None),))), "SCH")
    assert match.score >= 0.97


def test_document_near_misses_score_lower_than_exact(matcher: Matcher) -> None:
    def score(number: str) -> float:
        query = Query(name="Ysolde Pirwitz", documents=((number, "DEU"),))
        return only(matcher.screen(query), "SCH").score

    exact, ocr, near = score("C01X00T47"), score("CO1XOOT47"), score("C01X00T48")
    assert exact > ocr > near > 0.5


def test_document_issuing_country_mismatch_lowers_the_score(matcher: Matcher) -> None:
    same = only(matcher.screen(Query(documents=(("C01X00T47", "DEU"),))), "SCH")
    other = only(matcher.screen(Query(documents=(("C01X00T47", "FRA"),))), "SCH")
    assert other.score < same.score
    fact = next(f for f in other.facts if f.field == "document")
    assert "FRA" in fact.text and "DEU" in fact.text


def test_document_country_mismatch_lowers_an_ocr_match_too(matcher: Matcher) -> None:
    same = only(matcher.screen(Query(documents=(("CO1XOOT47", "DEU"),))), "SCH")
    other = only(matcher.screen(Query(documents=(("CO1XOOT47", "FRA"),))), "SCH")
    assert other.score < same.score


def test_document_and_name_evidence_combine(matcher: Matcher) -> None:
    query = Query(name="Olaf Scholz", documents=(("C01X00T47", "DEU"),))
    match = only(matcher.screen(query), "SCH")
    assert match.score >= 0.97
    assert match.name is not None
    assert {f.field for f in match.facts} >= {"document", "date_of_birth"}


def test_different_document_number_never_clears_a_name_hit(matcher: Matcher) -> None:
    plain = only(matcher.screen(Query(name="Olaf Scholz")), "SCH")
    other_doc = only(
        matcher.screen(Query(name="Olaf Scholz", documents=(("ZZ9988776", "DEU"),))), "SCH"
    )
    assert other_doc.score == plain.score


# -- explanation and summary -----------------------------------------------------------------


def test_explanation_lists_name_pairs_and_facts(matcher: Matcher) -> None:
    query = Query(name="Moamar Kadhafi", birth_date=date(1942, 6, 7), nationality="LBY")
    match = only(matcher.screen(query), "QAD")
    explained = match.explanation()
    assert explained["score"] == match.score
    assert explained["algorithm"]
    name = explained["name"]
    assert name["listed_name"] == "Muammar Qaddafi"
    assert name["kind"] == "primary"
    pairs = {(p["query"], p["listed"]): p for p in name["pairs"]}
    assert set(pairs) == {("moamar", "muammar"), ("kadhafi", "qaddafi")}
    for pair in pairs.values():
        assert pair["method"] in ("one letter apart", "same sound", "same consonants")
        assert 0 < pair["score"] <= 1
    facts = {f["field"]: f for f in explained["facts"]}
    assert facts["date_of_birth"]["outcome"] == "same"
    assert "1942-06-07" in facts["date_of_birth"]["text"]
    assert facts["nationality"]["outcome"] == "same"
    assert "LBY" in facts["nationality"]["text"]


def test_explanation_lists_unmatched_tokens(matcher: Matcher) -> None:
    match = only(matcher.screen(Query(name="Darius Tobin Velkor")), "VEL")
    assert match.explanation()["name"]["unmatched_query"] == ["tobin"]


def test_document_only_explanation_has_no_name_block(matcher: Matcher) -> None:
    match = only(matcher.screen(Query(documents=(("C01X00T47", "DEU"),))), "SCH")
    explained = match.explanation()
    assert "name" not in explained
    assert any(f["field"] == "document" for f in explained["facts"])


def test_summary_mentions_matching_parts_and_dob_outcome(matcher: Matcher) -> None:
    query = Query(name="Moamar Kadhafi", birth_date=date(1942, 6, 7), nationality="LBY")
    lines = only(matcher.screen(query), "QAD").summary()
    text = " ".join(lines)
    assert all(line.endswith(".") and line[0].isupper() for line in lines)
    assert "moamar" in text and "muammar" in text
    assert "kadhafi" in text and "qaddafi" in text
    assert "Same date of birth" in text
    assert "Same nationality (LBY)" in text


def test_summary_reports_exact_parts_and_far_dob(matcher: Matcher) -> None:
    query = Query(name="Muammar Qaddafi", birth_date=date(1962, 6, 7))
    text = " ".join(only(matcher.screen(query), "QAD").summary())
    assert "muammar = muammar" in text
    assert "20 years apart" in text


def test_summary_says_when_dob_was_not_compared(matcher: Matcher) -> None:
    text = " ".join(only(matcher.screen(Query(name="Muammar Qaddafi")), "QAD").summary())
    assert "not compared" in text


def test_summary_mentions_weak_alias_and_swap(make_entry: EntryFactory) -> None:
    m = build(
        make_entry(
            "VEL",
            ListedName("Darius Velkor", family="Velkor", given="Darius"),
            ListedName("Kestrel Ombry", NameKind.WEAK_ALIAS),
        )
    )
    weak = " ".join(only(m.screen(Query(name="Kestrel Ombry")), "VEL").summary())
    assert "weak alias" in weak
    swapped = " ".join(only(m.screen(Query(family="Darius", given="Velkor")), "VEL").summary())
    assert "swapped" in swapped


def test_summary_of_document_hit_mentions_document(matcher: Matcher) -> None:
    match = only(matcher.screen(Query(documents=(("C01X00T47", "DEU"),))), "SCH")
    assert "Same document number." in match.summary()


@pytest.mark.parametrize(
    "query",
    [
        Query(name="Moamar Kadhafi", birth_date=date(1942, 6, 7), nationality="LBY"),
        Query(name="Muammar Qaddafi", birth_date=date(1962, 6, 7), gender="F"),
        Query(name="Darius Tobin Velkor"),
        Query(family="Velkor", given="Darius"),
        Query(name="Kestrel Ombry"),
        Query(name="Olaf Scholz", documents=(("CO1XOOT47", "FRA"),)),
        Query(documents=(("C01X00T48", "DEU"),)),
    ],
)
def test_the_explanation_as_templates_reads_as_the_summary(matcher: Matcher, query: Query) -> None:
    """Pages in other languages translate the stored templates: filled in English, they are
    the summary, facts and all, and they are stored as JSON."""
    matches = matcher.screen(query)
    assert matches
    for match in matches:
        explained = json.loads(json.dumps(match.explanation()))
        assert [said(line) for line in explained["sentences"]] == explained["summary"]
        assert explained["summary"] == match.summary()
        for fact in explained["facts"]:
            assert said(fact) == fact["text"]


def test_a_document_issued_elsewhere_is_stored_as_a_template(matcher: Matcher) -> None:
    match = only(matcher.screen(Query(documents=(("C01X00T47", "FRA"),))), "SCH")
    (fact,) = [f for f in match.explanation()["facts"] if f["field"] == "document"]
    assert fact["text"] == "same document number, but issued by FRA not DEU"
    assert fact["template"] == "{document}, but issued by {country} not {listed}"
    assert fact["params"] == {
        "document": {"template": "same document number"}, "country": "FRA", "listed": "DEU",
    }  # fmt: skip


# -- screening controls ------------------------------------------------------------------------


def test_min_score_is_respected(matcher: Matcher) -> None:
    everything = matcher.screen(Query(name="Kestrel Ombry"))
    assert len(everything) == 2
    cut = min(m.score for m in everything) + 0.001
    high = matcher.screen(Query(name="Kestrel Ombry"), min_score=cut)
    assert [m.subject.source_id for m in high] == ["OMB"]
    assert all(m.score >= cut for m in high)


def test_top_is_respected(make_entry: EntryFactory) -> None:
    m = build(
        *(make_entry(f"V{i}", f"Darius Velkor {chr(97 + i)}{chr(97 + i)}x") for i in range(6))
    )
    assert len(m.screen(Query(name="Darius Velkor"), top=3)) == 3
    assert len(m.screen(Query(name="Darius Velkor"), top=10)) == 6


def test_results_are_sorted_by_score(matcher: Matcher) -> None:
    matches = matcher.screen(Query(name="Kestrel Ombry"))
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)


def test_unknown_name_finds_nothing(matcher: Matcher) -> None:
    assert matcher.screen(Query(name="Ysolde Pirwitz")) == []


def test_empty_query_finds_nothing(matcher: Matcher) -> None:
    assert matcher.screen(Query()) == []


def test_ties_are_ordered_by_evidence_rarer_names_first(make_entry: EntryFactory) -> None:
    # "A-COMMON" matches "noor tavani", "Z-RARE" matches "pell tavani": the same name score,
    # but "noor" is on many other names and "pell" on none.
    fillers = [make_entry(f"F{i}", f"Noor Filler{chr(97 + i)}q") for i in range(6)]
    m = build(make_entry("A-COMMON", "Noor Tavani"), make_entry("Z-RARE", "Pell Tavani"), *fillers)
    matches = by_id(m.screen(Query(name="Noor Pell Tavani"), top=20))
    common, rare = matches["A-COMMON"], matches["Z-RARE"]
    assert common.score == rare.score
    assert rare.evidence > common.evidence
    ordered = [x.subject.source_id for x in m.screen(Query(name="Noor Pell Tavani"), top=20)]
    assert ordered.index("Z-RARE") < ordered.index("A-COMMON")


def test_common_names_are_screened_through_the_pair_index(make_entry: EntryFactory) -> None:
    m = build(
        make_entry("MA", "Mohammed Ali Zandari"),
        make_entry("M2", "Mohammed Karimi"),
        make_entry("M3", "Mohammed Ombry"),
        make_entry("A2", "Ali Hosseini"),
        make_entry("A3", "Ali Velkor"),
        common_cap=2,
    )
    matches = m.screen(Query(name="Mohammed Ali Zandari"))
    assert matches[0].subject.source_id == "MA"


def test_editing_an_explanation_does_not_change_later_results(matcher: Matcher) -> None:
    query = Query(name="Darius Tobin Velkor")
    explained = only(matcher.screen(query), "VEL").explanation()
    explained["name"]["unmatched_query"].append("injected")
    again = only(matcher.screen(query), "VEL").explanation()
    assert again["name"]["unmatched_query"] == ["tobin"]


def test_a_traveller_query_is_not_matched_to_companies() -> None:
    from firstline.model.watchlist import EntrySchema, ListedName, ListEntry

    company = ListEntry("ORG-1", EntrySchema.ORGANIZATION, [ListedName("Velkor Trading")])
    person = ListEntry("P-1", EntrySchema.PERSON, [ListedName("Velkor Trading")])
    matcher = Matcher.from_entries([(1, 0, company), (2, 0, person)])
    everyone = matcher.screen(Query(name="Velkor Trading"))
    assert {m.subject.source_id for m in everyone} == {"ORG-1", "P-1"}
    people = matcher.screen(Query(name="Velkor Trading", schemas=frozenset({"person"})))
    assert [m.subject.source_id for m in people] == ["P-1"]


# -- a threshold: the same matches, less work ---------------------------------------------------


THRESHOLD_QUERIES = [
    Query(name="Muammar Qaddafi", birth_date=date(1942, 6, 7), nationality="LBY", gender="M"),
    Query(name="Muammar Qaddafi", birth_date=date(1990, 1, 2), nationality="FRA", gender="F"),
    Query(name="Moamar Kadhafi", birth_date=date(1943, 6, 7)),
    Query(name="Olaf Scholz", documents=(("C01X00T47", "DEU"),), birth_date=date(1990, 1, 1)),
    Query(name="Olaf Scholz", birth_date=date(1990, 1, 1), nationality="FRA"),
    Query(name="Kestrel Omby", birth_date=date(2001, 2, 3)),
    Query(name="Amira Tavani"),
]


@pytest.mark.parametrize("query", THRESHOLD_QUERIES)
@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.9])
def test_a_threshold_gives_the_matches_above_it_of_a_full_screening(
    matcher: Matcher, query: Query, threshold: float
) -> None:
    # The matcher skips aligning names that the facts make unreachable: the result must be
    # exactly the full screening's matches at or above the threshold, explanations included.
    full = [m for m in matcher.screen(query, top=50) if m.score >= threshold]
    cut = matcher.screen(query, top=50, min_score=threshold)
    assert [(m.subject.source_id, m.score, m.explanation()) for m in cut] == [
        (m.subject.source_id, m.score, m.explanation()) for m in full
    ]


def test_a_document_match_keeps_its_name_comparison_under_a_threshold(matcher: Matcher) -> None:
    # Born decades apart: the name alone could not reach 0.7, the document does; the analyst
    # still sees how the name compared.
    query = Query(
        name="Olaf Scholz", documents=(("C01X00T47", "DEU"),), birth_date=date(1990, 1, 1)
    )
    (match,) = matcher.screen(query, min_score=0.7)
    assert match.subject.source_id == "SCH"
    assert match.name is not None and match.name.score == 1.0
    assert any(f.field == "document" and f.outcome == "exact" for f in match.facts)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Ramimakhlouf", "Rami Makhlouf"),
        ("Siemens Aktiengesellschaft", "Siemens AG"),
        ("OAO Gazprom", "Gazprom Joint Stock Company"),
        ("Brigade Forty-Four", "Brigade 44"),
    ],
)
def test_glued_words_legal_forms_and_numbers_match_strongly(
    make_entry: EntryFactory, query: str, listed: str
) -> None:
    (match,) = build(make_entry("ONE", listed)).screen(Query(name=query))
    assert match.score >= 0.85


def test_among_many_homonyms_the_one_whose_facts_agree_is_screened(
    make_entry: EntryFactory,
) -> None:
    # More namesakes than stage 1 keeps (STAGE1_LIMIT): the one born on the traveller's date,
    # listed last, must not be left out by the cut among equal names.
    namesakes = [
        make_entry(f"JS{year}", "John Smith", birth_dates=[ListedDate(year, 3, 4)])
        for year in range(1900, 1900 + STAGE1_LIMIT + 50)
    ]
    wanted = make_entry("WANTED", "John Smith", birth_dates=[ListedDate(1977, 6, 5)],
                        nationalities=["GBR"])  # fmt: skip
    matcher = build(*namesakes, wanted)
    query = Query(name="John Smith", birth_date=date(1977, 6, 5), nationality="GBR")
    best = matcher.screen(query, top=3)[0]
    assert best.subject.source_id == "WANTED"
    assert best.score == 1.0
    # The same at the flow's threshold, where names the facts rule out are not aligned.
    assert matcher.screen(query, top=3, min_score=0.7)[0].subject.source_id == "WANTED"
