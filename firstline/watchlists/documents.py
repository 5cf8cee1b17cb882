"""Document types as lists write them, normalised so the matcher can compare like with like."""

from __future__ import annotations

import re

from firstline.watchlists.text import clean

_PASSPORT = re.compile(r"passport|passeport|pasaporte|passaporto|reisepass", re.IGNORECASE)
_NATIONAL_ID = re.compile(
    r"national identi|national id|identity card|id card|identity number|identification number"
    r"|carte d'identit|c[ée]dula|documento nacional|d\.n\.i",
    re.IGNORECASE,
)
# ICAO 9303 document codes and the EU FSF identificationTypeCode values.
_CODES = {"p": "passport", "passport": "passport", "i": "national_id", "id": "national_id"}


def normalise_type(text: str | None) -> str | None:
    """ "passport", "national_id", or the published text with its whitespace collapsed."""
    collapsed = clean(text)
    if collapsed is None:
        return None
    if collapsed.lower() in _CODES:
        return _CODES[collapsed.lower()]
    if _PASSPORT.search(collapsed):
        return "passport"
    if _NATIONAL_ID.search(collapsed):
        return "national_id"
    return collapsed
