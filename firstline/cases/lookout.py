"""What officers at the arrival port found when they met a confirmed traveller."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    NOTHING_FOUND = "nothing_found"
    SEIZURE = "seizure"
    REFUSED_ENTRY = "refused_entry"
    ARREST = "arrest"
    OTHER = "other"


# Outcomes that bear the targeting out: counted as "productive" in rule and list statistics.
PRODUCTIVE = frozenset({Outcome.SEIZURE, Outcome.REFUSED_ENTRY, Outcome.ARREST})

LABELS = {
    Outcome.NOTHING_FOUND: "nothing found",
    Outcome.SEIZURE: "seizure",
    Outcome.REFUSED_ENTRY: "refused entry",
    Outcome.ARREST: "arrest",
    Outcome.OTHER: "other",
}
