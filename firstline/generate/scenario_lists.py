"""The files written beside a day's messages: answer key, watchlist, lost/stolen documents.

The watchlist holds the persons the planted scenarios refer to plus decoys drawn from the same
name generator who are not travelling (their document numbers use letters the traveller
generator never does, and their birth dates are drawn apart). Formats: `docs/generate.md`.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

from firstline.generate import names
from firstline.generate.mrz import document_number
from firstline.generate.pnrgov_items import luhn_card
from firstline.generate.scenarios import Planting

ANSWER_KEY = "answer_key.json"
WATCHLIST = "watchlist.csv"
LOST_STOLEN = "lost_stolen_documents.csv"
SIDE_FILES = (ANSWER_KEY, WATCHLIST, LOST_STOLEN)
# Beside the messages, in a folder `firstline ingest` skips (names starting with `_`).
ANSWERS_FOLDER = "_answers"


def answers_folder(out: Path) -> Path:
    """Where the answer key and the lists of a generated day are written."""
    return out / ANSWERS_FOLDER


DECOYS = 200
LOST_DECOYS = 100
DECOY_LETTERS = "DFHJLMRSUW"  # travellers' passports start with one of ABCEGKNPTX

WATCHLIST_COLUMNS = [
    "list_name",
    "entry_id",
    "category",
    "severity",
    "surname",
    "given_names",
    "date_of_birth",
    "nationality",
    "document_number",
    "phone",
    "email",
    "card_last_four",
    "card_number_synthetic",
    "valid_from",
    "valid_to",
    "note",
]
LOST_COLUMNS = ["document_number", "document_type", "issuing_country", "reported_on"]
CATEGORIES = [("terrorism", "high"), ("smuggling", "medium"), ("fraud", "low"), ("drugs", "high")]


def write_lists(planting: Planting, day: date, out: Path) -> None:
    """Write the answer key, the watchlist (planted + decoys) and the lost/stolen list."""
    out = answers_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{planting.seed}:{day.isoformat()}:lists")
    listed = [dict(row) for row in planting.listed]
    for row in listed:
        row.setdefault("valid_from", (day - timedelta(days=rng.randrange(30, 2000))).isoformat())
    listed += [_decoy(rng, day, len(listed) + n + 1) for n in range(DECOYS)]
    rng.shuffle(listed)
    _csv(out / WATCHLIST, WATCHLIST_COLUMNS, listed)
    lost = list(planting.lost) + [_lost_decoy(rng, day) for _ in range(LOST_DECOYS)]
    rng.shuffle(lost)
    _csv(out / LOST_STOLEN, LOST_COLUMNS, lost)
    text = json.dumps(planting.key, indent=2, ensure_ascii=False) + "\n"
    (out / ANSWER_KEY).write_text(text, encoding="utf-8")


def _csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _decoy(rng: random.Random, day: date, number: int) -> dict[str, str]:
    culture = rng.choice(names.CULTURE_NAMES)
    gender = rng.choice("MF")
    born = day - timedelta(days=rng.randrange(20 * 365, 75 * 365))
    category, severity = rng.choice(CATEGORIES)
    row = {
        "list_name": "FIRSTLINE SYNTHETIC WATCHLIST",
        "entry_id": f"SYN-{number:05d}",
        "category": category,
        "severity": severity,
        "surname": names.surname(rng, culture),
        "given_names": names.given_name(rng, culture, gender),
        "date_of_birth": str(born.year) if rng.random() < 0.2 else born.isoformat(),
        "nationality": names.nationality(rng, culture),
        "valid_from": (day - timedelta(days=rng.randrange(30, 3000))).isoformat(),
        "note": "decoy, not travelling",
    }
    if rng.random() < 0.5:
        row["document_number"] = document_number(rng, DECOY_LETTERS)
    if rng.random() < 0.3:
        row["phone"] = f"+447900{rng.randrange(100000, 999999)}"  # a range travellers never get
    if rng.random() < 0.2:
        row["email"] = f"listed{number}@example.net"
    if rng.random() < 0.1:
        card = luhn_card(rng)
        row["card_number_synthetic"], row["card_last_four"] = card, card[-4:]
    if rng.random() < 0.1:
        row["valid_to"] = (day + timedelta(days=rng.randrange(30, 700))).isoformat()
    return row


def _lost_decoy(rng: random.Random, day: date) -> dict[str, str]:
    culture = rng.choice(names.CULTURE_NAMES)
    return {
        "document_number": document_number(rng, DECOY_LETTERS),
        "document_type": "P",
        "issuing_country": names.nationality(rng, culture),
        "reported_on": (day - timedelta(days=rng.randrange(1, 1500))).isoformat(),
    }
