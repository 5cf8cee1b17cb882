"""Name, MRZ and document normalisation (MATCHING.md §1.2 ICAO 9303, §3.1)."""

from __future__ import annotations

import pytest

from firstline.screening.normalize import (
    fold_document,
    normalize,
    normalize_mrz,
    ocr_fold,
)

# -- Unicode, case, diacritics -------------------------------------------------------------


def test_nfkc_and_casefold_give_lowercase_ascii_tokens() -> None:
    # Full-width letters and the "fi" ligature are NFKC-compatible with plain ASCII.
    assert normalize("ＫＡＲＩＮ ﬁrzan").tokens == ("karin", "firzan")


def test_tokens_are_in_published_order() -> None:
    assert normalize("Velkor Darius Amon").tokens == ("velkor", "darius", "amon")


def test_text_joins_tokens_with_spaces() -> None:
    assert normalize("  Darius   VELKOR ").text == "darius velkor"


def test_umlaut_is_stripped_in_tokens_and_icao_folded() -> None:
    name = normalize("MÜLLER")
    assert name.tokens == ("muller",)
    assert name.icao == ("mueller",)


def test_sharp_s_becomes_ss_in_both_forms() -> None:
    name = normalize("Straßberg")
    assert name.tokens == ("strassberg",)
    assert name.icao == ("strassberg",)


def test_slashed_o_is_o_stripped_and_oe_icao() -> None:
    name = normalize("Østvik")
    assert name.tokens == ("ostvik",)
    assert name.icao == ("oestvik",)


def test_ring_a_is_a_stripped_and_aa_icao() -> None:
    name = normalize("Åsvold")
    assert name.tokens == ("asvold",)
    assert name.icao == ("aasvold",)


def test_thorn_and_ash_fold_by_the_icao_table() -> None:
    assert normalize("Þórvin").icao == ("thorvin",)
    assert normalize("Ædrin").icao == ("aedrin",)


def test_other_diacritics_are_simply_dropped() -> None:
    name = normalize("José Ñuñez Čapek")
    assert name.tokens == ("jose", "nunez", "capek")
    assert name.icao == name.tokens


def test_icao_form_equals_token_when_nothing_folds() -> None:
    name = normalize("Darius Velkor")
    assert name.icao == name.tokens


def test_icao_forms_stay_aligned_with_tokens() -> None:
    name = normalize("Jürgen Karl Müller")
    assert name.tokens == ("jurgen", "karl", "muller")
    assert name.icao == ("juergen", "karl", "mueller")


# -- punctuation, titles, invisible characters ---------------------------------------------


def test_apostrophe_inside_a_word_vanishes() -> None:
    assert normalize("O'BRIEN").tokens == ("obrien",)


def test_dots_inside_a_word_vanish() -> None:
    assert normalize("U.S.A.").tokens == ("usa",)


def test_typographic_apostrophes_vanish_too() -> None:
    assert normalize("D’Arvel").tokens == ("darvel",)
    assert normalize("Dʼarvel").tokens == ("darvel",)


def test_apostrophe_style_does_not_change_other_tokens() -> None:
    assert normalize("Keira MacLeary O’Dwyn").tokens == normalize("Keira MacLeary O'Dwyn").tokens


def test_hyphen_splits_tokens() -> None:
    assert normalize("Anne-Sophie Velkor-Ombry").tokens == ("anne", "sophie", "velkor", "ombry")


def test_leading_titles_are_dropped() -> None:
    assert normalize("MR DARIUS VELKOR").tokens == ("darius", "velkor")
    assert normalize("Dr. Amira Tavani").tokens == ("amira", "tavani")
    assert normalize("SHEIKH Omar Zandari").tokens == ("omar", "zandari")


def test_airline_title_appended_to_given_name_is_dropped() -> None:
    assert normalize("JOHN MR").tokens == ("john",)
    assert normalize("VELKOR DARIUS MR").tokens == ("velkor", "darius")


def test_titles_kept_on_request() -> None:
    assert normalize("MR DARIUS", keep_titles=True).tokens == ("mr", "darius")


def test_middle_initial_m_is_not_taken_for_a_title() -> None:
    assert normalize("JOHN M VELKOR").tokens == ("john", "m", "velkor")


def test_zero_width_space_is_removed_not_split_on() -> None:
    assert normalize("Dar\u200bius").tokens == ("darius",)


def test_soft_hyphen_is_removed_not_split_on() -> None:
    assert normalize("Vel\u00adkor").tokens == ("velkor",)


def test_byte_order_mark_and_word_joiner_are_removed() -> None:
    assert normalize("\ufeffAmira Ta\u2060vani").tokens == ("amira", "tavani")


# -- other scripts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Жанна", "zhanna"),  # Ж zh
        ("Хасан", "khasan"),  # Х kh
        ("Цвет", "tsvet"),  # Ц ts
        ("Щукин", "shchukin"),  # Щ shch
        ("Юлия", "iuliia"),  # Ю iu, Я ia
        ("Яна", "iana"),  # Я ia
        ("Сергей", "sergei"),  # Й i
        ("Чаша", "chasha"),  # Ч ch, Ш sh
        ("Рыбин", "rybin"),  # Ы y
    ],
)
def test_cyrillic_follows_the_icao_9303_table(cyrillic: str, latin: str) -> None:
    assert normalize(cyrillic).tokens == (latin,)


def test_cyrillic_full_name_keeps_token_order() -> None:
    assert normalize("Андрей Иванович Жуков").tokens == ("andrei", "ivanovich", "zhukov")


def test_uppercase_cyrillic_is_romanised_like_lowercase() -> None:
    assert normalize("ЖУКОВ").tokens == normalize("Жуков").tokens == ("zhukov",)


def test_arabic_article_becomes_its_own_token() -> None:
    tokens = normalize("صدام حسين التكريتي").tokens
    assert "al" in tokens
    assert tokens.index("al") == len(tokens) - 2
    assert not tokens[-1].startswith("al")


def test_arabic_is_romanised_to_ascii() -> None:
    tokens = normalize("صدام حسين").tokens
    assert len(tokens) == 2
    assert all(t.isascii() and t.isalpha() for t in tokens)


def test_han_characters_become_one_token_per_syllable() -> None:
    assert normalize("张伟").tokens == ("zhang", "wei")


def test_hangul_syllables_become_separate_tokens() -> None:
    assert normalize("김민준").tokens == ("gim", "min", "jun")


# -- MRZ ---------------------------------------------------------------------------------------


def test_mrz_name_splits_surname_and_given_names() -> None:
    name = normalize_mrz("MULLER<<JUERGEN<KARL")
    assert name.tokens == ("muller", "juergen", "karl")
    assert name.truncated is False


def test_mrz_filler_is_ignored() -> None:
    field = "VELKOR<<DARIUS<<<<<<<<<<<<<<<<<<<<<<<<<<"
    name = normalize_mrz(field)
    assert name.tokens == ("velkor", "darius")
    assert name.truncated is False


def test_mrz_surname_with_several_parts() -> None:
    assert normalize_mrz("VAN<DER<OMBRY<<ANJA").tokens == ("van", "der", "ombry", "anja")


def test_full_mrz_field_is_flagged_as_possibly_truncated() -> None:
    field = "QUARTERMAINE<<BARTHOLOMEW<MAXIMILIAN<JO"
    assert len(field) == 39
    name = normalize_mrz(field)
    assert name.truncated is True
    assert name.tokens[-1] == "jo"


def test_short_mrz_field_is_not_truncated() -> None:
    assert normalize_mrz("OMBRY<<ANJA").truncated is False


def test_plain_normalize_never_flags_truncation() -> None:
    assert normalize("QUARTERMAINE BARTHOLOMEW MAXIMILIAN JOHANNESBERG").truncated is False


# -- documents -------------------------------------------------------------------------------


def test_document_folding_uppercases_and_strips_punctuation_and_spaces() -> None:
    assert fold_document(" ab-12 345.6 ") == "AB123456"


def test_document_folding_applies_nfkc() -> None:
    assert fold_document("ＡＢ１２３４") == "AB1234"


def test_ocr_folding_merges_confusable_letters_and_digits() -> None:
    assert ocr_fold("O") == ocr_fold("0")
    assert ocr_fold("I") == ocr_fold("1")
    assert ocr_fold("S") == ocr_fold("5")
    assert ocr_fold("B") == ocr_fold("8")
    assert ocr_fold("CO1XOOT47") == ocr_fold("C01X00T47")


def test_ocr_folding_keeps_distinct_characters_distinct() -> None:
    assert ocr_fold("C01X00T47") != ocr_fold("C01X00T48")
    assert ocr_fold("AX") != ocr_fold("AY")


# -- organisations: legal forms and numbers ---------------------------------------------------


@pytest.mark.parametrize(
    ("written", "short"),
    [
        ("Siemens Aktiengesellschaft", "Siemens AG"),
        ("Volkswagen Gesellschaft mit beschränkter Haftung", "Volkswagen GmbH"),
        ("Tactical Missiles Corporation Joint Stock Company", "JSC Tactical Missiles Corp."),
        ("Open Joint Stock Company Gazprom", "OAO Gazprom"),
        ("Gazprom PJSC", "Gazprom JSC"),
        ("Stripe Limited Liability Company", "Stripe LLC"),
        ("Iskusstvo Krasoty OOO", "Iskusstvo Krasoty LLC"),
        ("Lloyds Banking Group Public Limited Company", "Lloyds Banking Group plc"),
        ("Apple Incorporated", "Apple Inc."),
        ("Societatea cu Răspundere Limitată Pro Traffic", "SRL Pro Traffic"),
        ("Faberlic Europe Spółka z ograniczoną odpowiedzialnością", "Faberlic Europe Sp. z o.o."),
    ],
)
def test_a_legal_form_written_out_is_one_token_as_its_abbreviation(
    written: str, short: str
) -> None:
    assert sorted(normalize(written).tokens) == sorted(normalize(short).tokens)


def test_a_legal_form_cut_at_the_end_of_the_field_is_still_folded() -> None:
    cut = normalize("TACTICAL MISSILES CORPORATION JOINT STOCK COMPAN")
    assert cut.tokens == ("tactical", "missiles", "corporation", "jsc")


def test_chinese_family_names_that_are_also_legal_forms_are_kept() -> None:
    assert normalize("Zao Wei").tokens == ("zao", "wei")
    assert normalize("Pao Lin").tokens == ("pao", "lin")


@pytest.mark.parametrize(
    "written", ["Brigade Forty-Four", "Brigade Fourty-four", "Brigade Forty 4", "Brigade 44"]
)
def test_numbers_written_as_words_become_digits(written: str) -> None:
    assert normalize(written).tokens == ("brigade", "44")


def test_single_number_words_and_round_tens() -> None:
    assert normalize("Three Percenters").tokens == ("3", "percenters")
    assert normalize("Forty Thieves").tokens == ("40", "thieves")
    assert normalize("Forty 12").tokens == ("40", "12")


def test_the_dutch_particle_ten_is_not_a_number() -> None:
    assert normalize("Jan ten Bosch").tokens == ("jan", "ten", "bosch")
