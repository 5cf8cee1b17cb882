"""Reference tables for synthetic traffic: airports with their country, and airlines.

Real IATA airport and airline codes (public reference data, shipped in `data/*.csv`), so the
generated traffic looks like a real airport's. The people travelling are always synthetic.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Airline designators reserved for tests; the benchmark generators use them.
TEST_CARRIERS = ["ZZ", "XZ", "ZX", "QZ", "YZ", "ZY"]
TEST_NUMERIC = {"ZZ": "991", "XZ": "992", "ZX": "993", "QZ": "994", "YZ": "995", "ZY": "996"}
STREETS = ["HIGH STREET", "MAIN ROAD", "STATION ROAD", "PARK AVENUE", "CHURCH LANE", "MILL ROAD"]
CITIES = ["SPRINGFIELD", "RIVERSIDE", "FAIRVIEW", "GREENVILLE", "KINGSTON", "NEWTOWN"]
LOCATOR = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # record locator alphabet (no I, O, 0, 1)


@dataclass(frozen=True, slots=True)
class Airport:
    iata: str
    country3: str
    country2: str
    city: str


@dataclass(frozen=True, slots=True)
class Airline:
    iata: str
    numeric: str  # ticket and bag tag prefix
    country3: str
    name: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("firstline.generate").joinpath("data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def airports() -> dict[str, Airport]:
    """Airports by IATA code, in file order."""
    return {row["iata"]: Airport(**row) for row in _rows("airports.csv")}


@cache
def airlines() -> dict[str, Airline]:
    """Airlines by IATA designator, in file order."""
    return {row["iata"]: Airline(**row) for row in _rows("airlines.csv")}


def airport(code: str) -> Airport:
    """The airport `code`; an unknown code is kept with an unknown country (`XXX`)."""
    return airports().get(code) or Airport(code, "XXX", "XX", code)


def country_of(code: str) -> str:
    """ISO 3166 alpha-3 country of airport `code`."""
    return airport(code).country3


def alpha2(country3: str) -> str:
    """ISO 3166 alpha-2 for an alpha-3 code found in the airport table, else `GB`."""
    found = {a.country3: a.country2 for a in airports().values()}
    return found.get(country3, "GB")


def airport_codes() -> list[str]:
    """Every known airport code, sorted."""
    return sorted(airports())
