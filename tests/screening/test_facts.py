"""Date of birth, nationality and gender comparison (MATCHING.md §3.1.5, §3.4 DOB graded)."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firstline.model.watchlist import ListedDate
from firstline.screening.facts import (
    DOB_EXACT,
    DOB_FAR,
    DOB_FEW_YEARS,
    DOB_MONTH,
    DOB_ONE_YEAR,
    DOB_RANGE,
    DOB_ROUGH_FAR,
    DOB_SWAP,
    DOB_YEAR,
    GENDER_OTHER,
    NAT_OTHER,
    NAT_SAME,
    Fact,
    FactBounds,
    compare_birth_dates,
    compare_gender,
    compare_nationality,
    fact_params,
)
from firstline.texts import said

EXACT_LISTED = ListedDate(1970, 3, 14)


def dob(query: date | ListedDate | None, *listed: ListedDate) -> Fact:
    fact = compare_birth_dates(query, listed)
    assert fact.field == "date_of_birth"
    return fact


# -- date of birth: branches -------------------------------------------------------------------


def test_exact_date_is_strong_support() -> None:
    fact = dob(date(1970, 3, 14), EXACT_LISTED)
    assert (fact.outcome, fact.adjustment) == ("same", DOB_EXACT)
    assert "1970-03-14" in fact.text


def test_day_month_swap_matches_at_reduced_weight() -> None:
    fact = dob(date(1970, 4, 3), ListedDate(1970, 3, 4))
    assert fact.outcome == "day/month swapped"
    assert fact.adjustment == DOB_SWAP
    assert 0 < DOB_SWAP < DOB_EXACT
    assert "swapped" in fact.text


def test_same_month_against_a_month_precision_list_date() -> None:
    fact = dob(date(1970, 3, 20), ListedDate(1970, 3))
    assert (fact.outcome, fact.adjustment) == ("same month", DOB_MONTH)


def test_year_only_list_date_in_the_same_year_is_mild_support() -> None:
    fact = dob(date(1970, 8, 20), ListedDate(1970))
    assert (fact.outcome, fact.adjustment) == ("same year", DOB_YEAR)
    assert 0 < DOB_YEAR < DOB_EXACT


def test_year_only_query_date_in_the_same_year_is_mild_support() -> None:
    fact = dob(ListedDate(1970), EXACT_LISTED)
    assert (fact.outcome, fact.adjustment) == ("same year", DOB_YEAR)


def test_month_precision_query_date() -> None:
    fact = dob(ListedDate(1970, 3), EXACT_LISTED)
    assert (fact.outcome, fact.adjustment) == ("same month", DOB_MONTH)


@pytest.mark.parametrize("dummy", [ListedDate(1970, 1, 1), ListedDate(1970, 7, 1)])
def test_dummy_list_date_counts_as_year_only(dummy: ListedDate) -> None:
    fact = dob(date(1970, 9, 23), dummy)
    assert (fact.outcome, fact.adjustment) == ("same year", DOB_YEAR)


def test_dummy_list_date_is_never_an_exact_day_match() -> None:
    # A traveller born 1 January agrees with a 1 January dummy only on the year.
    fact = dob(date(1970, 1, 1), ListedDate(1970, 1, 1))
    assert fact.adjustment < DOB_EXACT
    assert fact.adjustment > 0


def test_dummy_traveller_date_counts_as_year_only() -> None:
    fact = dob(date(1970, 1, 1), ListedDate(1970, 9, 23))
    assert (fact.outcome, fact.adjustment) == ("same year", DOB_YEAR)


def test_same_year_other_day_is_weaker_than_a_year_only_agreement() -> None:
    # Both dates are full and disagree on the day: less support than an agreeing year-only
    # date, but no worse than one year apart.
    fact = dob(date(1970, 9, 23), EXACT_LISTED)
    assert fact.outcome == "same year"
    assert DOB_ONE_YEAR <= fact.adjustment < DOB_YEAR


def test_different_month_is_not_described_as_a_different_day() -> None:
    fact = dob(date(1970, 3, 20), ListedDate(1970, 2))
    assert fact.outcome == "same year"
    assert "different day" not in fact.text


def test_inside_between_range_is_mild_support() -> None:
    fact = dob(date(1967, 5, 2), ListedDate(1965, to_year=1970))
    assert (fact.outcome, fact.adjustment) == ("in range", DOB_RANGE)
    assert "1965-1970" in fact.text


@pytest.mark.parametrize("year", [1965, 1970])
def test_range_bounds_are_inclusive(year: int) -> None:
    assert dob(date(year, 5, 2), ListedDate(1965, to_year=1970)).outcome == "in range"


def test_outside_between_range_counts_years_from_the_nearest_end() -> None:
    between = ListedDate(1965, to_year=1970)
    one, few, far = (dob(date(y, 5, 2), between) for y in (1971, 1972, 1960))
    assert (one.outcome, few.outcome, far.outcome) == ("close", "different", "far apart")
    assert "1 year apart" in one.text and "5 years apart" in far.text
    assert 0 > one.adjustment > few.adjustment > far.adjustment


def test_approximate_year_has_a_one_year_window() -> None:
    circa = ListedDate(1970, approximate=True)
    for year in (1969, 1970, 1971):
        fact = dob(date(year, 6, 6), circa)
        assert (fact.outcome, fact.adjustment) == ("in range", DOB_RANGE)
    assert "circa" in dob(date(1971, 6, 6), circa).text


def test_outside_approximate_window_is_penalised() -> None:
    assert dob(date(1973, 6, 6), ListedDate(1970, approximate=True)).adjustment < 0


@pytest.mark.parametrize("query", [date(1971, 3, 14), date(1969, 3, 14)])
def test_one_year_apart_is_close(query: date) -> None:
    fact = dob(query, EXACT_LISTED)
    assert (fact.outcome, fact.adjustment) == ("close", DOB_ONE_YEAR)
    assert DOB_ONE_YEAR < 0
    assert "1 year apart" in fact.text


def test_one_year_apart_is_neutral_to_slightly_negative() -> None:
    assert dob(date(1971, 3, 14), EXACT_LISTED).adjustment >= -0.05


def test_one_year_from_a_year_only_list_date_is_slightly_negative() -> None:
    fact = dob(date(1971, 3, 14), ListedDate(1970))
    assert fact.outcome == "close"
    assert -0.05 <= fact.adjustment <= 0


@pytest.mark.parametrize("query", [date(1972, 3, 14), date(1973, 3, 14)])
def test_two_or_three_years_apart_is_a_penalty(query: date) -> None:
    fact = dob(query, EXACT_LISTED)
    assert (fact.outcome, fact.adjustment) == ("different", DOB_FEW_YEARS)
    assert DOB_FEW_YEARS < DOB_ONE_YEAR


@pytest.mark.parametrize("query", [date(1974, 3, 14), date(1990, 3, 14)])
def test_more_than_three_years_apart_is_a_strong_penalty_not_a_clear(query: date) -> None:
    fact = dob(query, EXACT_LISTED)
    assert (fact.outcome, fact.adjustment) == ("far apart", DOB_FAR)
    assert DOB_FAR < DOB_FEW_YEARS
    # A penalty on a 0..1 scale whose name part alone is worth 0.9: it lowers, never clears.
    assert DOB_FAR > -0.5


def test_year_only_list_date_years_apart_uses_the_year_gap() -> None:
    one, few, far = (dob(date(y, 1, 9), ListedDate(1970)) for y in (1971, 1973, 1975))
    assert (one.outcome, few.outcome, far.outcome) == ("close", "different", "far apart")
    assert 0 > one.adjustment > few.adjustment > far.adjustment


def test_year_only_list_date_far_apart_is_a_penalty_not_a_clear() -> None:
    fact = dob(date(1990, 1, 9), ListedDate(1970))
    assert -0.5 < fact.adjustment < 0


def test_unknown_traveller_date_is_neutral() -> None:
    fact = dob(None, EXACT_LISTED)
    assert (fact.outcome, fact.adjustment) == ("unknown", 0.0)
    assert "traveller" in fact.text


def test_unknown_list_date_is_neutral() -> None:
    fact = dob(date(1970, 3, 14))
    assert (fact.outcome, fact.adjustment) == ("unknown", 0.0)
    assert "list" in fact.text


def test_best_of_several_list_dates_wins() -> None:
    fact = dob(date(1970, 3, 14), ListedDate(1960), EXACT_LISTED, ListedDate(1980, 1, 2))
    assert fact.outcome == "same"


def test_dob_grades_are_ordered() -> None:
    assert DOB_EXACT > DOB_MONTH > DOB_YEAR > 0
    assert DOB_EXACT > DOB_SWAP > 0
    assert DOB_EXACT > DOB_RANGE > 0
    assert 0 >= DOB_ONE_YEAR > DOB_FEW_YEARS > DOB_FAR


# -- nationality -------------------------------------------------------------------------------


def test_same_nationality_is_small_support() -> None:
    fact = compare_nationality("deu", ["DEU"])
    assert (fact.field, fact.outcome, fact.adjustment) == ("nationality", "same", NAT_SAME)
    assert "DEU" in fact.text


def test_one_of_several_listed_nationalities_counts_as_same() -> None:
    assert compare_nationality("AUT", ["DEU", "AUT"]).outcome == "same"


def test_different_nationality_is_small_penalty() -> None:
    fact = compare_nationality("FRA", ["DEU"])
    assert (fact.outcome, fact.adjustment) == ("different", NAT_OTHER)
    assert "FRA" in fact.text and "DEU" in fact.text
    assert -0.1 <= NAT_OTHER < 0 < NAT_SAME <= 0.1


@pytest.mark.parametrize(("query", "listed"), [(None, ["DEU"]), ("DEU", []), ("", ["DEU"])])
def test_unknown_nationality_is_neutral(query: str | None, listed: list[str]) -> None:
    fact = compare_nationality(query, listed)
    assert (fact.outcome, fact.adjustment) == ("unknown", 0.0)


# -- gender --------------------------------------------------------------------------------------


def test_same_gender_is_neutral() -> None:
    fact = compare_gender("M", "M")
    assert (fact.field, fact.outcome, fact.adjustment) == ("gender", "same", 0.0)


def test_different_gender_is_small_penalty() -> None:
    fact = compare_gender("f", "M")
    assert (fact.outcome, fact.adjustment) == ("different", GENDER_OTHER)
    assert -0.1 <= GENDER_OTHER < 0


def test_gender_words_compare_by_first_letter() -> None:
    assert compare_gender("female", "F").outcome == "same"


@pytest.mark.parametrize(("query", "listed"), [(None, "M"), ("M", None), ("X", "F"), ("U", "M")])
def test_unknown_gender_is_neutral(query: str | None, listed: str | None) -> None:
    fact = compare_gender(query, listed)
    assert (fact.outcome, fact.adjustment) == ("unknown", 0.0)


# -- the facts in words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "text"),
    [
        (dob(None, EXACT_LISTED), "date of birth not compared (no traveller date)"),
        (dob(date(1970, 3, 14)), "date of birth not compared (no list entry date)"),
        (dob(date(1970, 3, 14), EXACT_LISTED), "same date of birth (1970-03-14)"),
        (dob(date(1970, 3, 4), ListedDate(1970, 4, 3)),
         "same date of birth with day and month swapped (1970-04-03)"),
        (dob(date(1970, 3, 14), ListedDate(1970)), "same year of birth (1970)"),
        (dob(ListedDate(1970, 3), ListedDate(1970, 3)), "same month of birth (1970-03)"),
        (dob(date(1970, 5, 14), EXACT_LISTED),
         "same year of birth, different month (list gives 1970-03-14)"),
        (dob(date(1970, 3, 15), EXACT_LISTED),
         "same year of birth, different day (list gives 1970-03-14)"),
        (dob(date(1971, 3, 14), EXACT_LISTED),
         "dates of birth 1 year apart (list gives 1970-03-14)"),
        (dob(date(1975, 3, 14), EXACT_LISTED),
         "dates of birth 5 years apart (list gives 1970-03-14)"),
        (dob(date(1967, 3, 14), ListedDate(1970)),
         "dates of birth 3 years apart (born 1967, list gives 1970)"),
        (dob(date(1968, 1, 2), ListedDate(1965, to_year=1970)),
         "born 1968, list gives 1965-1970"),
        (dob(date(1975, 1, 2), ListedDate(1971, approximate=True)),
         "dates of birth 3 years apart (born 1975, list gives circa 1971)"),
        (compare_nationality(None, ["FRA"]), "nationality not compared"),
        (compare_nationality("fr", ["FRA"]), "same nationality (FRA)"),
        (compare_nationality("DEU", ["FRA", "ITA"]), "nationality DEU, list gives FRA, ITA"),
        (compare_gender(None, "M"), "gender not compared"),
        (compare_gender("F", "F"), "same gender"),
        (compare_gender("F", "M"), "different gender"),
    ],
)  # fmt: skip
def test_facts_in_words(fact: Fact, text: str) -> None:
    """The English an analyst reads, as before facts kept their templates apart; stored with
    a hit, a listed date known roughly keeps "circa" apart for translation."""
    assert fact.text == text
    stored = fact_params(fact)
    assert said({"template": fact.template, "params": stored}) == text
    json.dumps(stored)


def test_a_rough_listed_date_is_stored_with_circa_apart() -> None:
    fact = dob(date(1971, 6, 6), ListedDate(1971, approximate=True))
    assert fact_params(fact) == {
        "year": 1971,
        "listed": {"template": "circa {date}", "params": {"date": "1971"}},
    }


# -- the upper bound the matcher prunes with -----------------------------------------------

_listed_dates = st.builds(
    ListedDate,
    year=st.integers(1940, 2005),
    month=st.none() | st.integers(1, 12),
    day=st.none() | st.integers(1, 28),
    to_year=st.none() | st.integers(1938, 2008),
    approximate=st.booleans(),
).filter(lambda d: d.month is not None or d.day is None)
_query_dates = st.dates(date(1938, 1, 1), date(2008, 12, 31)) | st.builds(
    ListedDate, year=st.integers(1938, 2008), month=st.none() | st.integers(1, 12)
)
_codes = st.sampled_from(["FRA", "DEU", "SY", "SYR", "fr", " deu ", "XXX", ""])
_genders = st.sampled_from([None, "", "M", "F", "male", "female", "X", "u"])


@settings(max_examples=800, deadline=None)
@given(
    entries=st.lists(
        st.tuples(
            st.lists(_listed_dates, max_size=3),
            st.lists(_codes, max_size=3),
            _genders,
        ),
        min_size=1,
        max_size=4,
    ),
    birth=st.none() | _query_dates,
    nationality=st.none() | _codes,
    gender=_genders,
)
def test_fact_bound_is_never_below_the_compared_facts(
    entries: list[tuple[list[ListedDate], list[str], str | None]],
    birth: date | ListedDate | None,
    nationality: str | None,
    gender: str | None,
) -> None:
    bounds = FactBounds()
    for dates, nationalities, listed_gender in entries:
        bounds.add(dates, nationalities, listed_gender)
    packed = bounds.packed()
    upper = bounds.upper_packed(packed, birth, nationality, gender).tolist()
    # Picking some subjects gives their bounds, in the order picked.
    picks = np.arange(len(entries) - 1, -1, -1, dtype=np.int32)
    some = bounds.upper_packed(packed, birth, nationality, gender, picks)
    assert some.tolist() == pytest.approx(upper[::-1])
    for (dates, nationalities, listed_gender), bound in zip(entries, upper, strict=True):
        actual = (
            compare_birth_dates(birth, dates).adjustment
            + compare_nationality(nationality, nationalities).adjustment
            + compare_gender(gender, listed_gender).adjustment
        )
        assert bound >= actual - 1e-9


def test_fact_bound_rules_out_a_date_years_apart_with_another_nationality() -> None:
    bounds = FactBounds()
    bounds.add([ListedDate(1961, 4, 12)], ["SYR"], "M")  # exact date, one nationality
    bounds.add([ListedDate(1961)], ["SYR"], "M")  # year only: far apart costs less
    bounds.add([], [], None)  # nothing known
    packed = bounds.packed()
    far, rough, unknown = bounds.upper_packed(packed, date(1984, 5, 2), "FRA", "F").tolist()
    assert far == pytest.approx(DOB_FAR + NAT_OTHER + GENDER_OTHER)
    assert rough == pytest.approx(DOB_ROUGH_FAR + NAT_OTHER + GENDER_OTHER)
    assert unknown == 0.0
    same = bounds.upper_packed(packed, date(1961, 4, 12), "SY", "male")[0]
    assert same == pytest.approx(DOB_EXACT + NAT_SAME)
