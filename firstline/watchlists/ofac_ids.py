"""What each OFAC idType really is: a document, an identifier, a contact, or a sanctions note.

OFAC's `idList` (and the remarks of its CSV) mixes passport numbers with "Secondary sanctions
risk:" notes and websites. Mapping every type explicitly keeps notes out of the identifier index
(a matcher hit on "section 1(b) of Executive Order 13224" would be nonsense) and makes a new
type visible instead of silently misfiled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class IdRole(StrEnum):
    DOCUMENT = "document"
    IDENTIFIER = "identifier"
    NOTE = "note"
    GENDER = "gender"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class IdMapping:
    role: IdRole
    kind: str  # document type, identifier kind, or note key


_EXACT: dict[str, IdMapping] = {
    "passport": IdMapping(IdRole.DOCUMENT, "passport"),
    "diplomatic passport": IdMapping(IdRole.DOCUMENT, "passport"),
    "national id no.": IdMapping(IdRole.DOCUMENT, "national_id"),
    "identification number": IdMapping(IdRole.DOCUMENT, "national_id"),
    "cedula no.": IdMapping(IdRole.DOCUMENT, "national_id"),
    "driver's license no.": IdMapping(IdRole.DOCUMENT, "driving_licence"),
    "tax id no.": IdMapping(IdRole.IDENTIFIER, "tax_id"),
    "v.a.t. number": IdMapping(IdRole.IDENTIFIER, "vat"),
    "registration id": IdMapping(IdRole.IDENTIFIER, "registration"),
    "registration number": IdMapping(IdRole.IDENTIFIER, "registration"),
    "business registration number": IdMapping(IdRole.IDENTIFIER, "registration"),
    "public registration number": IdMapping(IdRole.IDENTIFIER, "registration"),
    "company number": IdMapping(IdRole.IDENTIFIER, "registration"),
    "c.r. no.": IdMapping(IdRole.IDENTIFIER, "registration"),
    "government gazette number": IdMapping(IdRole.IDENTIFIER, "gazette_number"),
    "unified social credit code (uscc)": IdMapping(IdRole.IDENTIFIER, "uscc"),
    "legal entity number": IdMapping(IdRole.IDENTIFIER, "lei"),
    "isin": IdMapping(IdRole.IDENTIFIER, "isin"),
    "equity ticker": IdMapping(IdRole.IDENTIFIER, "equity_ticker"),
    "swift/bic": IdMapping(IdRole.IDENTIFIER, "swift_bic"),
    "bik (ru)": IdMapping(IdRole.IDENTIFIER, "bik"),
    "license": IdMapping(IdRole.IDENTIFIER, "licence"),
    "website": IdMapping(IdRole.IDENTIFIER, "website"),
    "email address": IdMapping(IdRole.IDENTIFIER, "email"),
    "phone number": IdMapping(IdRole.IDENTIFIER, "phone"),
    "gender": IdMapping(IdRole.GENDER, "gender"),
    "target type": IdMapping(IdRole.NOTE, "target_type"),
    "issuer name": IdMapping(IdRole.NOTE, "issuer_name"),
    "organization established date": IdMapping(IdRole.NOTE, "established"),
    "organization type": IdMapping(IdRole.NOTE, "organization_type"),
    "nationality of registration": IdMapping(IdRole.NOTE, "nationality_of_registration"),
    "secondary sanctions risk": IdMapping(IdRole.NOTE, "secondary_sanctions_risk"),
}
# Families of sanctions notes whose idType carries a directive or programme name.
NOTE_PREFIXES = (
    "executive order",
    "listing date",
    "effective date",
    "purchase/sales for divestment date",
    "caatsa section",
)
_TRAILER = re.compile(r"[\s:\-]+$")


def key_of(id_type: str) -> str:
    """The idType folded for lookup: trailing ":" and " -" are decoration."""
    return _TRAILER.sub("", " ".join(id_type.split())).lower()


def labels() -> list[str]:
    """The known idType labels, folded as `key_of` folds them."""
    return list(_EXACT)


def classify(id_type: str) -> IdMapping:
    """How an OFAC idType is to be stored; UNKNOWN keeps the raw type as the kind."""
    key = key_of(id_type)
    if key in _EXACT:
        return _EXACT[key]
    if key.startswith(NOTE_PREFIXES):
        return IdMapping(IdRole.NOTE, _TRAILER.sub("", " ".join(id_type.split())))
    return IdMapping(IdRole.UNKNOWN, " ".join(id_type.split()))
