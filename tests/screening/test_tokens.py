"""Token keys and token comparison (MATCHING.md §2.5 skeletons, §3.4 per-token similarity)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firstline.screening.normalize import normalize
from firstline.screening.tokens import (
    ABJAD,
    EXACT,
    FOLD,
    INITIAL,
    MIN_TOKEN_SCORE,
    NICKNAME,
    PHONETIC,
    SKELETON,
    TYPO1,
    TokenInfo,
    compare,
    joined_skeletons,
    skeleton,
    skeletons,
    token_info,
)


def info(text: str) -> TokenInfo:
    """TokenInfo of one normalised token, with its ICAO form."""
    name = normalize(text)
    assert len(name.tokens) == 1
    return token_info(name.tokens[0], name.icao[0])


def cmp(a: str, b: str) -> tuple[float, str]:
    return compare(info(a), info(b))


# -- skeleton ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("muammar", "moamar"),
        ("qaddafi", "kadhafi"),
        ("mohammed", "muhammad"),
        ("hussein", "husayn"),
        ("osama", "usama"),
    ],
)
def test_transliteration_variants_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


def test_skeleton_drops_vowels_and_collapses_doubles() -> None:
    assert skeleton("muammar") == "mr"
    assert skeleton("qaddafi") == "kdf"


def test_skeleton_folds_digraphs() -> None:
    assert skeleton("khalid") == skeleton("kalid")
    assert skeleton("shirin") == skeleton("sirin")


def test_different_names_have_different_skeletons() -> None:
    assert skeleton("velkor") != skeleton("tavani")


def test_article_prefixed_token_keeps_a_bare_skeleton() -> None:
    assert skeleton("tikriti") in token_info("altikriti").skeletons


# Words rich in the letters digraphs are made of, and in articles, so that joins cut through
# SH, TSCH, DZH, doubled letters and AL/EL/UL often.
_WORD = st.text(alphabet="aeiouyhsctzkgdjpxqwlmn", min_size=1, max_size=7)


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(
        st.one_of(_WORD, st.sampled_from(["al", "el", "ul", "a", "u", "ali", "abd"])),
        min_size=1,
        max_size=3,
    )
)
def test_joined_skeletons_are_those_of_the_joined_word(words: list[str]) -> None:
    # Stage 1 makes a joined word's skeletons from its words' own; they must be the same as
    # the whole word's, or a glued listed name (ABDULRAHMAN) would no longer be retrieved.
    assert joined_skeletons(words) == skeletons.__wrapped__("".join(words))


def test_joined_skeleton_across_a_digraph_and_doubled_letters() -> None:
    assert joined_skeletons(["as", "hraf"]) == skeletons("ashraf")  # SH made by the join
    assert joined_skeletons(["muhammad", "din"]) == skeletons("muhammaddin")
    assert joined_skeletons(["a", "ltikriti"]) == skeletons("altikriti")


# -- token info --------------------------------------------------------------------------------


def test_token_info_flags() -> None:
    assert token_info("al").particle
    assert token_info("j").initial
    assert token_info("1984").numeric
    plain = token_info("velkor")
    assert not (plain.particle or plain.initial or plain.numeric)


def test_token_info_icao_defaults_to_text() -> None:
    assert token_info("velkor").icao == "velkor"


# -- compare(): methods ------------------------------------------------------------------------


def test_same_token_is_exact() -> None:
    assert cmp("Velkor", "VELKOR") == (EXACT, "exact")


def test_umlaut_against_icao_spelling_is_a_fold() -> None:
    assert cmp("Müller", "Mueller") == (FOLD, "ICAO spelling")
    assert cmp("Mueller", "Müller") == (FOLD, "ICAO spelling")


def test_ring_a_against_icao_double_a_is_a_fold() -> None:
    assert cmp("Åsvold", "Aasvold") == (FOLD, "ICAO spelling")


def test_diacritic_variants_are_exact_after_stripping() -> None:
    assert cmp("Müller", "Muller") == (EXACT, "exact")


def test_initial_matches_a_name_with_the_same_first_letter() -> None:
    assert cmp("J", "Jasper") == (INITIAL, "initial")
    assert cmp("Jasper", "J") == (INITIAL, "initial")


def test_initial_never_matches_another_first_letter() -> None:
    score, method = cmp("K", "Jasper")
    assert score == 0.0
    assert method == "different initial"


def test_one_letter_apart() -> None:
    assert cmp("Velkor", "Velkar") == (TYPO1, "one letter apart")


def test_one_letter_apart_needs_four_letters() -> None:
    # "bob"/"rob" are different short names, not a typo.
    score, method = cmp("bob", "rob")
    assert method != "one letter apart"
    assert score < TYPO1


def test_same_sound() -> None:
    assert cmp("Moamar", "Muammar") == (PHONETIC, "same sound")
    assert cmp("Schulze", "Scholz") == (PHONETIC, "same sound")
    # Spelled too differently for the sound alone; the consonants still pair them.
    assert cmp("Catherine", "Kathryn")[0] >= SKELETON


def test_a_shared_sound_code_needs_close_spelling() -> None:
    assert cmp("Weber", "Jabber")[1] != "same sound"
    assert cmp("John", "Jane")[1] != "same sound"


def test_one_letter_in_a_short_name_is_another_name() -> None:
    assert cmp("Yang", "Gang")[0] < MIN_TOKEN_SCORE  # different first letter
    hang_hong = cmp("Hang", "Hong")
    assert MIN_TOKEN_SCORE <= hang_hong[0] < TYPO1


def test_a_skeleton_shared_by_words_of_very_different_length_is_no_match() -> None:
    assert cmp("ayakaneko", "knic")[1] != "same consonants"


def test_same_consonants() -> None:
    assert cmp("tikriti", "altikriti") == (SKELETON, "same consonants")


@pytest.mark.parametrize(
    ("written", "vowelled"),
    [
        ("hsyn", "hussein"),  # ي written Y
        ("dwry", "duri"),  # و written W
        ("thr", "tahir"),  # ت and ه, two letters, not the digraph TH
        ("syf", "saif"),
        ("rzwqy", "razuki"),
        ("flyh", "fulayyih"),
    ],
)
def test_arabic_written_without_vowels_against_its_vowelled_form(
    written: str, vowelled: str
) -> None:
    # Arabic script romanised letter by letter (HSYN) against a list's or passport's spelling.
    assert cmp(written, vowelled) == (ABJAD, "same consonants")
    assert cmp(vowelled, written) == (ABJAD, "same consonants")


def test_unvowelled_consonants_need_the_same_first_letter() -> None:
    # SHHY and YSHW both come to SH once Y and W are set aside: a coincidence, not a match.
    assert cmp("shhy", "yshw")[1] != "same consonants"


def test_unvowelled_comparison_also_reaches_latin_names_written_without_a_e_i_o_u() -> None:
    # The known cost of the rule: LYNN is read as an unvowelled spelling of LENA.
    assert cmp("lynn", "lena") == (ABJAD, "same consonants")
    assert cmp("lynn", "mona")[0] < MIN_TOKEN_SCORE


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("muammar", "moamar"),
        ("qaddafi", "kadhafi"),
        ("mohammed", "muhammad"),
        ("hussein", "husayn"),
        ("osama", "usama"),
    ],
)
def test_transliteration_variants_compare_strongly(a: str, b: str) -> None:
    score, method = cmp(a, b)
    assert score >= SKELETON
    assert method in ("one letter apart", "same sound", "same consonants")


def test_exact_beats_every_fuzzy_method() -> None:
    assert EXACT > FOLD > TYPO1 >= PHONETIC > SKELETON > ABJAD > MIN_TOKEN_SCORE


@pytest.mark.parametrize(("a", "b"), [("1984", "1985"), ("12", "13"), ("2001", "2010")])
def test_numbers_never_fuzzy_match(a: str, b: str) -> None:
    assert cmp(a, b) == (0.0, "different number")


def test_number_against_a_word_is_not_a_match() -> None:
    score, _ = cmp("1984", "velkor")
    assert score == 0.0


def test_equal_numbers_match_exactly() -> None:
    assert cmp("1984", "1984") == (EXACT, "exact")


@pytest.mark.parametrize(("a", "b"), [("velkor", "tavani"), ("smith", "jones"), ("amira", "olaf")])
def test_clearly_different_tokens_stay_below_min_token_score(a: str, b: str) -> None:
    score, method = cmp(a, b)
    assert score < MIN_TOKEN_SCORE
    assert method == "different"


def test_two_letters_apart_in_a_long_token_clears_the_minimum() -> None:
    score, method = cmp("kastelbrunner", "kasteblrunner")
    assert MIN_TOKEN_SCORE <= score < TYPO1
    assert method == "similar spelling"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("velkor", "tavani"),
        ("bob", "rob"),
        ("kastelbrunner", "kasteblrunner"),
        ("abcdef", "abcxyz"),
    ],
)
def test_method_is_different_exactly_below_the_minimum(a: str, b: str) -> None:
    score, method = cmp(a, b)
    assert (method == "different") == (score < MIN_TOKEN_SCORE)


def test_compare_is_symmetric_for_plain_tokens() -> None:
    for a, b in [("velkor", "velkar"), ("catherine", "kathryn"), ("tikriti", "altikriti")]:
        assert cmp(a, b) == cmp(b, a)


def test_scores_are_in_unit_interval() -> None:
    for a, b in [("velkor", "velkar"), ("x", "xavier"), ("qwerty", "asdfgh"), ("1", "2")]:
        score, _ = cmp(a, b)
        assert 0.0 <= score <= 1.0


def test_nicknames_pair_with_their_full_given_name() -> None:
    assert cmp("Bill", "William") == (NICKNAME, "nickname")
    assert cmp("Bibi", "Benjamin") == (NICKNAME, "nickname")
    assert cmp("Sasha", "Aleksandr") == (NICKNAME, "nickname")
    assert cmp("Bill", "Robert")[1] != "nickname"
