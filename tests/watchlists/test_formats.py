"""The format registry, countries and dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from firstline.exc import FirstlineError
from firstline.model.watchlist import ListedDate
from firstline.watchlists import FORMATS, ListFormatError, read_list
from firstline.watchlists.countries import to_alpha3
from firstline.watchlists.dates import parse_date
from firstline.watchlists.documents import normalise_type


def test_registry_keys() -> None:
    assert set(FORMATS) == {"un-xml", "ofac-csv", "ofac-xml", "eu-xml", "csv", "ftm"}


def test_unknown_format_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="valid formats: csv, eu-xml, ftm, ofac-csv"):
        read_list([Path("x")], "sdn")


def test_list_format_error_is_a_firstline_error() -> None:
    assert issubclass(ListFormatError, FirstlineError)
    assert ListFormatError("x").code == "list_format_error"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Democratic People's Republic of Korea", "PRK"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Syrian Arab Republic", "SYR"),
        ("Russian Federation", "RUS"),
        ("Palestinian", "PSE"),
        ("Democratic Republic\n  of the Congo", "COD"),
        ("United Republic of Tanzania", "TZA"),
        ("de", "DEU"),
        ("GBR", "GBR"),
        ("former Soviet Union", None),
        ("", None),
    ],
)
def test_countries(text: str, code: str | None) -> None:
    assert to_alpha3(text) == code


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("1962", ListedDate(1962)),
        ("1970-03", ListedDate(1970, 3)),
        ("1970-03-12", ListedDate(1970, 3, 12)),
        ("12 Mar 1970", ListedDate(1970, 3, 12)),
        ("circa 1965", ListedDate(1965, approximate=True)),
        ("1961 to 1963", ListedDate(1961, to_year=1963)),
        ("1961-1963", ListedDate(1961, to_year=1963)),
    ],
)
def test_dates(text: str, listed: ListedDate) -> None:
    assert parse_date(text) == listed


@pytest.mark.parametrize("text", ["31 Feb 1970", "1970-13", "soon", "1963 to 1961"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Passport", "passport"),
        ("Numéro de passeport ", "passport"),
        ("Número de pasaporte", "passport"),
        ("National Identification\n            Number", "national_id"),
        ("P", "passport"),
        ("Seaman's book", "Seaman's book"),
    ],
)
def test_document_types(text: str, kind: str) -> None:
    assert normalise_type(text) == kind
