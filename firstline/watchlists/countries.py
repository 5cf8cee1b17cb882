"""Country names and codes as lists write them, turned into ISO 3166 alpha-3.

pycountry knows ISO names, official names and codes; the override table adds the spellings
lists use that ISO does not (UN's "Iran (Islamic Republic of)", OFAC's "Palestinian", "Burma").
Unknown text gives None: the caller keeps the raw text, since guessing a country would make a
false nationality look like evidence.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

# Keys are folded by `_fold`. Kosovo has no ISO code; XKX is the code ICAO and the EU use.
_OVERRIDES: dict[str, str] = {
    "iran (islamic republic of)": "IRN",
    "iran": "IRN",
    "democratic people's republic of korea": "PRK",
    "north korea": "PRK",
    "korea, north": "PRK",
    "republic of korea": "KOR",
    "south korea": "KOR",
    "korea, south": "KOR",
    "syria": "SYR",
    "russia": "RUS",
    "palestinian": "PSE",
    "palestine": "PSE",
    "state of palestine": "PSE",
    "occupied palestinian territory": "PSE",
    "gaza": "PSE",
    "west bank": "PSE",
    "democratic republic of the congo": "COD",
    "congo, democratic republic of the": "COD",
    "republic of the congo": "COG",
    "congo": "COG",
    "burma": "MMR",
    "laos": "LAO",
    "vietnam": "VNM",
    "turkey": "TUR",
    "turkiye": "TUR",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "moldova": "MDA",
    "united kingdom": "GBR",
    "uk": "GBR",
    "united states": "USA",
    "usa": "USA",
    "kosovo": "XKX",
    "xk": "XKX",
    "xkx": "XKX",
    "cote d'ivoire": "CIV",
    "ivory coast": "CIV",
    "the netherlands": "NLD",
    "czech republic": "CZE",
    "macedonia": "MKD",
    "swaziland": "SWZ",
    "brunei": "BRN",
    "cape verde": "CPV",
    "micronesia": "FSM",
    "the bahamas": "BHS",
    "the gambia": "GMB",
    "taiwan": "TWN",
    "hong kong": "HKG",
    "china, hong kong special administrative region": "HKG",
    "china, macao special administrative region": "MAC",
    "macau": "MAC",
}

_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    # Lists break names across lines and use typographic apostrophes; neither carries meaning.
    text = text.replace("\u2019", "'").replace("\u00f4", "o").replace("\u00fc", "u")
    return _SPACES.sub(" ", text).strip().strip(".").strip().lower()


@lru_cache(maxsize=1024)
def to_alpha3(text: str | None) -> str | None:
    """The ISO 3166 alpha-3 code for a country name or code, or None when unknown."""
    if not text:
        return None
    folded = _fold(text)
    if not folded:
        return None
    if folded in _OVERRIDES:
        return _OVERRIDES[folded]
    try:
        country = pycountry.countries.lookup(folded)
    except LookupError:
        return None
    return str(country.alpha_3)
