"""DTM values: formats 101/102/201/203, two-digit years and what fails."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from firstline.ingest.edifact.dates import (
    DateValueError,
    parse_birth_date,
    parse_datetime,
    parse_document_date,
)


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        ("1306212200", "201", datetime(2013, 6, 21, 22, 0)),
        (" 1306212200", "201", datetime(2013, 6, 21, 22, 0)),  # IG example 5.1's space
        ("13 06 21 2200", "201", datetime(2013, 6, 21, 22, 0)),
        ("20041230", "102", datetime(2004, 12, 30)),
        ("200412301530", "203", datetime(2004, 12, 30, 15, 30)),
        ("720907", "101", datetime(1972, 9, 7)),
        ("720907", "", datetime(1972, 9, 7)),  # format from the length
        ("20041230", "", datetime(2004, 12, 30)),
        ("0710081045", "", datetime(2007, 10, 8, 10, 45)),
        ("000229", "", datetime(2000, 2, 29)),
        ("681231", "", datetime(2068, 12, 31)),  # strptime's %y pivot: 00-68 are 20xx
        ("690101", "", datetime(1969, 1, 1)),
    ],
)
def test_parse_datetime(value: str, fmt: str, expected: datetime) -> None:
    assert parse_datetime(value, fmt) == expected


@pytest.mark.parametrize(
    ("value", "fmt"),
    [
        ("", ""),
        ("13062", ""),  # no format of that length
        ("1306212200", "102"),  # length does not fit the format
        ("130621", "201"),
        ("131321", ""),  # month 13
        ("130230", ""),  # 30 February
        ("010229", ""),  # 2001 is no leap year
        ("1306212460", "201"),  # minute 60
        ("$(yymmdd)1620", "201"),  # template placeholder
        ("13O621", ""),  # letter O
        ("\u00b2\u00b2\u00b2\u00b2\u00b2\u00b2", ""),  # superscript digits (regression)
        ("\u0661\u0663\u0660\u0666\u0662\u0661", ""),  # Arabic-Indic digits
        ("-13062", ""),
    ],
)
def test_unreadable_dates(value: str, fmt: str) -> None:
    with pytest.raises(DateValueError) as caught:
        parse_datetime(value, fmt)
    assert "format" in str(caught.value)


def test_date_value_error_is_a_value_error() -> None:
    assert issubclass(DateValueError, ValueError)


@pytest.mark.parametrize(
    ("value", "reference", "expected"),
    [
        ("720907", date(2013, 6, 21), date(1972, 9, 7)),
        ("130621", date(2013, 6, 21), date(2013, 6, 21)),  # born on the day of the flight
        ("130622", date(2013, 6, 21), date(1913, 6, 22)),  # a day later: a centenarian
        ("120101", date(2013, 6, 21), date(2012, 1, 1)),  # an infant
        ("240101", date(2025, 1, 1), date(2024, 1, 1)),
        ("250102", date(2025, 1, 1), date(1925, 1, 2)),
        ("991231", date(2025, 1, 1), date(1999, 12, 31)),
        ("520502", date(2007, 10, 8), date(1952, 5, 2)),
        ("010101", date(2000, 6, 1), date(1901, 1, 1)),
        ("000311", date(2025, 1, 1), date(2000, 3, 11)),
        ("000229", date(2025, 1, 1), date(2000, 2, 29)),
        ("000229", date(1999, 12, 31), date(1900, 2, 28)),  # 1900 had no 29 February
        ("040229", date(2003, 1, 1), date(1904, 2, 29)),
        (" 720907", date(2013, 6, 21), date(1972, 9, 7)),
    ],
)
def test_birth_date_century(value: str, reference: date, expected: date) -> None:
    assert parse_birth_date(value, "", reference) == expected
    assert parse_birth_date(value, "101", reference) == expected


def test_birth_date_with_four_digit_year_is_not_moved() -> None:
    assert parse_birth_date("19350919", "102", date(2004, 10, 13)) == date(1935, 9, 19)
    assert parse_birth_date("20300101", "102", date(2004, 10, 13)) == date(2030, 1, 1)


def test_birth_date_errors_propagate() -> None:
    with pytest.raises(DateValueError):
        parse_birth_date("", "", date(2025, 1, 1))
    with pytest.raises(DateValueError):
        parse_birth_date("720230", "", date(2025, 1, 1))


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        ("151231", "", date(2015, 12, 31)),
        ("080911", "", date(2008, 9, 11)),
        ("691231", "", date(2069, 12, 31)),
        ("700101", "", date(1970, 1, 1)),  # 70-99 are 19xx
        ("991231", "", date(1999, 12, 31)),
        ("20301231", "102", date(2030, 12, 31)),
        ("19991231", "102", date(1999, 12, 31)),
    ],
)
def test_document_date(value: str, fmt: str, expected: date) -> None:
    assert parse_document_date(value, fmt) == expected


def test_document_date_errors_propagate() -> None:
    with pytest.raises(DateValueError):
        parse_document_date("$(date_format %y ", "")
