"""Name-part alignment and its score (MATCHING.md §1.1 logic-v2 weights, §3.4 Name)."""

from __future__ import annotations

import pytest

from firstline.screening.names import (
    FAMILY_WEIGHT,
    PARTICLE_WEIGHT,
    SWAP_FACTOR,
    NameComparison,
    NamePart,
    compare_names,
    compare_prepared,
    name_parts,
    prepare_name,
    score_prepared,
    with_roles,
)
from firstline.screening.normalize import normalize, normalize_mrz
from firstline.screening.tokens import PREFIX


def parts(text: str) -> tuple[NamePart, ...]:
    return name_parts(normalize(text))


def roles(family: str, given: str) -> tuple[NamePart, ...]:
    return with_roles(normalize(family), normalize(given))


def compare(query: str, listed: str) -> NameComparison:
    return compare_names(parts(query), parts(listed))


def methods(result: NameComparison) -> dict[tuple[str, str], str]:
    return {(p.query, p.listed): p.method for p in result.pairs}


# -- basics ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "listed", "truncated"),
    [
        ("MUAMMAR QADDAFI", "Muammar Mohammed Abu Minyar al-Qaddafi", False),
        ("ABDUL RAHMAN AL TIKRITI", "ABDULRAHMAN ALTIKRITI", False),
        ("JOHN SMITH", "SMITH, JOHN", False),
        ("SMITH JONATHA", "SMITH JONATHAN ROBERT", True),
        ("Maria Garcia", "Li Wei", False),
        ("", "Li Wei", False),
    ],
)
def test_the_score_alone_is_that_of_the_explained_comparison(
    query: str, listed: str, truncated: bool
) -> None:
    # Screening scores most names without explaining them (they fall under the threshold):
    # the score must be the explained comparison's, to the last bit.
    q, lst = prepare_name(parts(query)), prepare_name(parts(listed))
    alone = score_prepared(q, lst, truncated=truncated)
    assert alone == compare_prepared(q, lst, truncated=truncated).score


def test_identical_names_score_one() -> None:
    result = compare("Darius Velkor", "Darius Velkor")
    assert result.score == pytest.approx(1.0)
    assert result.unmatched_query == result.unmatched_listed == []


def test_empty_name_scores_zero() -> None:
    assert compare_names((), parts("Darius Velkor")).score == 0.0
    assert compare_names(parts("Darius Velkor"), ()).score == 0.0


def test_different_names_score_low() -> None:
    assert compare("Darius Velkor", "Amira Tavani").score < 0.3


def test_score_is_in_unit_interval() -> None:
    for query, listed in [
        ("Darius Velkor", "Darius Velkor Amon"),
        ("J Velkor", "Jasper Velkor"),
        ("Velkor", "Darius Velkor"),
        ("Darius Peter Velkor", "Amira Tavani"),
    ]:
        assert 0.0 <= compare(query, listed).score <= 1.0


def test_design_example_muammar_qaddafi_aligns_both_tokens() -> None:
    result = compare("Moamar Kadhafi", "Muammar Qaddafi")
    assert {(p.query, p.listed) for p in result.pairs} == {
        ("moamar", "muammar"),
        ("kadhafi", "qaddafi"),
    }
    assert result.score >= 0.85


# -- order and roles ---------------------------------------------------------------------------


def test_alignment_is_order_free_without_roles() -> None:
    result = compare("Velkor Darius", "Darius Velkor")
    assert result.score == pytest.approx(1.0)
    assert result.swapped is False
    assert {(p.query, p.listed) for p in result.pairs} == {
        ("velkor", "velkor"),
        ("darius", "darius"),
    }


def test_swapped_family_and_given_cost_swap_factor_and_are_flagged() -> None:
    result = compare_names(roles("Darius", "Velkor"), roles("Velkor", "Darius"))
    assert result.swapped is True
    assert result.score == pytest.approx(SWAP_FACTOR)
    assert all(p.score == pytest.approx(SWAP_FACTOR) for p in result.pairs)


def test_same_roles_are_not_a_swap() -> None:
    result = compare_names(roles("Velkor", "Darius"), roles("Velkor", "Darius"))
    assert result.swapped is False
    assert result.score == pytest.approx(1.0)


def test_roles_known_on_one_side_only_are_not_a_swap() -> None:
    result = compare_names(parts("Velkor Darius"), roles("Velkor", "Darius"))
    assert result.swapped is False
    assert result.score == pytest.approx(1.0)


# -- weights -----------------------------------------------------------------------------------


def test_unmatched_listed_middle_name_costs_less_than_unmatched_query_token() -> None:
    missing_on_query = compare("Darius Velkor", "Darius Amon Velkor")
    extra_on_query = compare("Darius Amon Velkor", "Darius Velkor")
    assert missing_on_query.unmatched_listed == ["amon"]
    assert extra_on_query.unmatched_query == ["amon"]
    assert missing_on_query.score > extra_on_query.score
    # Both still below a full match.
    assert missing_on_query.score < 1.0


def test_family_pair_weighs_more_than_given_pair() -> None:
    result = compare_names(roles("Velkor", "Darius"), roles("Velkor", "Darius"))
    weights = {p.query: p.weight for p in result.pairs}
    assert weights["velkor"] == pytest.approx(FAMILY_WEIGHT)
    assert weights["darius"] == pytest.approx(1.0)


def test_typo_in_family_name_costs_more_than_same_typo_in_given_name() -> None:
    listed = roles("Karimi", "Hamid")
    family_typo = compare_names(roles("Karimy", "Hamid"), listed)
    given_typo = compare_names(roles("Karimi", "Hamiq"), listed)
    assert {p.method for p in family_typo.pairs} == {"exact", "one letter apart"}
    assert {p.method for p in given_typo.pairs} == {"exact", "one letter apart"}
    assert family_typo.score < given_typo.score


def test_particle_pair_is_weighted_down() -> None:
    result = compare("Omar bin Zandari", "Omar bin Zandari")
    weights = {p.query: p.weight for p in result.pairs}
    assert weights["bin"] == pytest.approx(PARTICLE_WEIGHT)
    assert weights["omar"] == pytest.approx(1.0)


def test_unmatched_particle_costs_less_than_unmatched_name() -> None:
    extra_particle = compare("Omar bin Zandari", "Omar Zandari")
    extra_name = compare("Omar Tavi Zandari", "Omar Zandari")
    assert extra_particle.score > extra_name.score


def test_initial_pair_is_weighted_down_and_scores_high() -> None:
    result = compare("J Velkor", "Jasper Velkor")
    pair = next(p for p in result.pairs if p.query == "j")
    assert pair.method == "initial"
    assert pair.weight < 1.0
    assert result.score > 0.9


def test_clearly_different_tokens_are_not_paired() -> None:
    result = compare("Darius Velkor", "Darius Tavani")
    assert [(p.query, p.listed) for p in result.pairs] == [("darius", "darius")]
    assert result.unmatched_query == ["velkor"]
    assert result.unmatched_listed == ["tavani"]


# -- merge / split -----------------------------------------------------------------------------


def test_split_query_merges_against_one_word_listed() -> None:
    result = compare("Abdul Rahman Karimi", "Abdulrahman Karimi")
    assert result.score == pytest.approx(1.0)
    assert ("abdulrahman", "abdulrahman") in methods(result)


def test_one_word_query_merges_against_split_listed() -> None:
    result = compare("Abdulrahman Karimi", "Abdul Rahman Karimi")
    assert result.score == pytest.approx(1.0)
    assert result.unmatched_listed == []


def test_abd_al_x_matches_abdulx() -> None:
    assert compare("Abd al-Rahman Karimi", "Abdulrahman Karimi").score >= 0.9


def test_particle_is_not_merged_away_from_an_exact_token() -> None:
    result = compare("Omar Dijk", "Omar de Dijk")
    assert methods(result)[("dijk", "dijk")] == "exact"
    assert result.unmatched_listed == ["de"]


# -- MRZ truncation ----------------------------------------------------------------------------

FULL_FIELD = "QUARTERMAINE<<BARTHOLOMEW<MAXIM<JOHANNE"  # 39 characters: JOHANNESBERG cut
LONG_NAME = "Bartholomew Maxim Johannesberg Quartermaine"


def test_full_field_fixture_is_39_characters() -> None:
    assert len(FULL_FIELD) == 39


def test_truncated_mrz_last_token_matches_by_prefix() -> None:
    mrz = normalize_mrz(FULL_FIELD)
    assert mrz.truncated
    result = compare_names(name_parts(mrz), parts(LONG_NAME), truncated=True)
    pair = next(p for p in result.pairs if p.query == "johanne")
    assert pair.listed == "johannesberg"
    assert pair.score == pytest.approx(PREFIX)
    assert "cut-off" in pair.method
    assert result.unmatched_query == result.unmatched_listed == []


def test_prefix_match_only_when_the_field_is_truncated() -> None:
    mrz = normalize_mrz(FULL_FIELD)
    listed = parts(LONG_NAME)
    cut = compare_names(name_parts(mrz), listed, truncated=True)
    not_cut = compare_names(name_parts(mrz), listed, truncated=False)
    assert cut.score > not_cut.score
    assert all("cut-off" not in p.method for p in not_cut.pairs)


def test_prefix_match_applies_to_the_last_token_only() -> None:
    listed = parts("Bartholomew Quartermaine")
    result = compare_names(parts("Bar Quartermaine"), listed, truncated=True)
    assert all("cut-off" not in p.method for p in result.pairs)
