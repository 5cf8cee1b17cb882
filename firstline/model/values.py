"""Normalised identifiers: phones, e-mails and card fingerprints.

These are the "pivot" values link analysis joins on, so every source must produce them the
same way. Nothing here keeps a full card number.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re

import phonenumbers

_NOT_DIGIT = re.compile(r"\D")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_phone(raw: str, region: str | None = None) -> tuple[str, bool]:
    """E.164 form of `raw` when it can be read as a valid number, else its digits.

    `region` (ISO 3166 alpha-2) is used for numbers written without a country code.
    Returns the value and whether it was put in E.164.
    """
    return _normalise_phone(raw.strip(), region or None)


# phonenumbers costs some 20 to 45 µs a number, a fifth of the PNRGOV parse. Carriers push
# each booking 4 to 5 times before departure (T-72 ... T-0), so the same contacts come back
# again and again; the answer only depends on the text and the region, so it is cached.
# Bounded: 2**14 entries of about 300 bytes, some 5 MB at most.
@functools.lru_cache(maxsize=2**14)
def _normalise_phone(text: str, region: str | None) -> tuple[str, bool]:
    digits = _NOT_DIGIT.sub("", text)
    candidates = [text]
    if not text.startswith("+") and len(digits) > 8:
        # Airlines often drop the '+' of an international number. Read in the booking's
        # region, 447522503708 is a valid German number too (German numbers vary in length),
        # so a long number not written with the region's trunk prefix (0 in most of Europe)
        # is read as international first.
        international = "+" + digits
        if len(digits) >= 11 and not digits.startswith(_trunk_prefix(region)):
            candidates.insert(0, international)
        else:
            candidates.append(international)
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), True
    return digits, False


def _trunk_prefix(region: str | None) -> str:
    """The digits that start a number written nationally in `region` (0 in DE, 1 in US)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region or "", None)
    prefix = metadata.national_prefix if metadata is not None else None
    return prefix or "0"


def decode_airline_email(raw: str) -> str:
    """Undo the escapes airlines use in SSR CTCE and OSI text: `//` is `@`, `..` is `_`.

    Only applied to text that is known to be an e-mail (SSR CTCE, `CTCE` in free text).
    """
    text = raw.strip()
    if "@" not in text and "//" in text:
        text = text.replace("//", "@", 1)
    return text.replace("..", "_")


def normalise_email(raw: str) -> tuple[str, bool]:
    """Lower-case e-mail with spaces removed; the flag says whether it looks like one."""
    value = raw.strip().replace(" ", "").lower()
    return value, bool(_EMAIL.match(value))


def card_fingerprint(number: str, key: bytes) -> str | None:
    """Keyed HMAC-SHA256 of a card's digits, so two bookings paid by one card meet.

    Returns None for masked numbers (fewer than 12 digits or containing X): a fingerprint of
    a masked number would join unrelated cards.
    """
    digits = _NOT_DIGIT.sub("", number)
    if len(digits) < 12 or "X" in number.upper():
        return None
    return hmac.new(key, digits.encode("ascii"), hashlib.sha256).hexdigest()


def last_four(number: str) -> str | None:
    digits = _NOT_DIGIT.sub("", number)
    return digits[-4:] if len(digits) >= 4 else None
