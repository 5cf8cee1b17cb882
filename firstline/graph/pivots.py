"""Pivot identifiers: the values that connect people (a phone, an e-mail, a card, a document).

Every pivot is normalised the way ingest stores it (E.164 phones, lower-case e-mails, keyed
card fingerprints, folded document numbers), so a list entry's phone and a booking's phone meet
whatever their spelling.
"""

from __future__ import annotations

from dataclasses import dataclass

from firstline.model.values import card_fingerprint, normalise_email, normalise_phone
from firstline.screening.normalize import fold_document
from firstline.texts import N_

KINDS = ("phone", "email", "card", "document", "agency", "address", "frequent_flyer")
WORDS = {"phone": "phone number", "email": "e-mail address", "card": "payment card",
         "document": "travel document", "agency": "travel agency", "address": "address",
         "frequent_flyer": "frequent-flyer number"}  # fmt: skip
# A card as shown: never its number, nor its fingerprint (pages translate it: firstline.texts).
CARD_SHOWN = N_("a payment card (fingerprint match)")


@dataclass(frozen=True, slots=True)
class Pivot:
    kind: str  # one of KINDS
    value: str  # normalised; a card is its fingerprint, never its number

    def shown(self) -> str:
        """What an analyst sees: a card by nothing but its kind, others masked in the middle."""
        if self.kind == "card":
            return CARD_SHOWN
        if self.kind == "agency":
            return self.value  # an agency's IATA number or office: not personal data
        if len(self.value) <= 6:
            return self.value
        return f"{self.value[:3]}...{self.value[-3:]}"


def phone_pivot(raw: str) -> Pivot | None:
    value, _valid = normalise_phone(raw)
    return Pivot("phone", value) if len(value) >= 6 else None


def email_pivot(raw: str) -> Pivot | None:
    value, valid = normalise_email(raw)
    return Pivot("email", value) if valid else None


def card_pivot(number: str, key: bytes) -> Pivot | None:
    fingerprint = card_fingerprint(number, key)
    return Pivot("card", fingerprint) if fingerprint else None


def document_pivot(number: str, country: str | None = None) -> Pivot | None:
    folded = fold_document(number)
    if len(folded) < 5:
        return None
    return Pivot("document", f"{(country or '').upper()}:{folded}")
