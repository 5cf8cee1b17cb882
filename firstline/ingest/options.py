"""What a parser needs from outside: the date of reading, the card fingerprint key and the
site's message adapters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from firstline.ingest.adapters import InstalledAdapter


@dataclass(slots=True, frozen=True)
class ParseOptions:
    today: date = field(default_factory=date.today)
    # Keyed so that a stolen database does not reveal card numbers by brute force over the
    # small space of valid card numbers; set per installation (FIRSTLINE_CARD_KEY).
    card_key: bytes = b"firstline-development-key"
    # Carriers' envelopes the site can open (`firstline.ingest.adapters`), tried in order.
    adapters: tuple[InstalledAdapter, ...] = ()
