"""What a parser needs from outside: the date of reading and the card fingerprint key."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True, frozen=True)
class ParseOptions:
    today: date = field(default_factory=date.today)
    # Keyed so that a stolen database does not reveal card numbers by brute force over the
    # small space of valid card numbers; set per installation (FIRSTLINE_CARD_KEY).
    card_key: bytes = b"firstline-development-key"
