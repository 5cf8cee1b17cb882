"""Synthetic names by culture, written as airlines send them (ICAO Doc 9303 transliteration).

The lists hold common given names and surnames in their own spelling; `transliterate` turns
them into the upper-case Latin letters of a machine-readable zone the way airline systems do
(Ö → OE, Å → AA, ß → SS, other accents dropped). Combinations are drawn at random, so no
list entry stands for a real person.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

# ICAO 9303 part 3 recommended transliterations that are not a plain accent removal.
_ICAO = {
    "Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "ẞ": "SS", "Å": "AA", "Æ": "AE", "Ø": "OE",
    "Þ": "TH", "Ð": "D", "Đ": "D", "Ł": "L", "Œ": "OE", "İ": "I", "Ħ": "H",
}  # fmt: skip

# culture -> (surnames, male given names, female given names, nationalities)
_NATIVE: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {
    "english": (
        ["Smith", "Jones", "Taylor", "Brown", "Wilson", "O'Neil", "O'Brien", "Murphy"],
        ["James", "Oliver", "Harry", "Jack", "Thomas", "Liam"],
        ["Emma", "Olivia", "Amelia", "Grace", "Siobhán", "Chloe"],
        ["GBR", "IRL", "USA", "CAN", "AUS"],
    ),
    "spanish": (
        ["García", "Martínez", "López", "Fernández", "González Blanco", "De la Cruz"],
        ["José", "Juan Carlos", "Alejandro", "Pablo", "Mateo"],
        ["María", "Lucía", "Sofía", "María José", "Carmen"],
        ["ESP", "MEX", "ARG", "COL", "PER"],
    ),
    "german": (
        ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Bäcker", "Große"],
        ["Lukas", "Jürgen", "Felix", "Maximilian", "Jonas"],
        ["Anna", "Lena", "Julia", "Sophie", "Katharina"],
        ["DEU", "AUT", "CHE"],
    ),
    "nordic": (
        ["Johansson", "Nielsen", "Hansen", "Björk", "Åkesson", "Lindqvist"],
        ["Erik", "Lars", "Magnus", "Ole", "Jørgen"],
        ["Ingrid", "Astrid", "Sigrid", "Freja", "Maja"],
        ["SWE", "NOR", "DNK", "FIN"],
    ),
    "slavic": (
        ["Novák", "Kowalski", "Ivanov", "Petrova", "Dvořák", "Kovač", "Wiśniewska"],
        ["Jan", "Piotr", "Dmitri", "Tomáš", "Milan"],
        ["Anna", "Katarzyna", "Olga", "Petra", "Jana"],
        ["POL", "CZE", "HUN", "GRC"],
    ),
    "arabic": (
        ["Al Hassan", "Haddad", "Khalil", "Mansour", "El Amrani", "Ben Ali"],
        ["Mohamed", "Ahmed", "Omar", "Youssef", "Karim"],
        ["Fatima", "Aisha", "Layla", "Maryam", "Nour"],
        ["EGY", "MAR", "TUN", "ARE", "QAT"],
    ),
    "chinese": (
        ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang"],
        ["Wei", "Jun", "Hao", "Ding Yi", "Zhi Hao"],
        ["Fang", "Xiu Ying", "Huan Huan", "Mei", "Li Na"],
        ["CHN", "SGP", "HKG"],
    ),
    "japanese": (
        ["Satō", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō"],
        ["Hiroshi", "Takeshi", "Kenji", "Haruto", "Sōta"],
        ["Yuki", "Ayumi", "Hana", "Sakura", "Yui"],
        ["JPN"],
    ),
    "indian": (
        ["Sharma", "Patel", "Singh", "Kumar", "Iyer", "Reddy"],
        ["Rahul", "Arjun", "Vikram", "Aditya", "Rohan"],
        ["Priya", "Ananya", "Divya", "Lakshmi", "Neha"],
        ["IND"],
    ),
    "turkish": (
        ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk"],
        ["Mehmet", "Mustafa", "Emre", "Burak", "Can"],
        ["Ayşe", "Zeynep", "Elif", "Emine", "Selin"],
        ["TUR"],
    ),
    "french": (
        ["Dubois", "Lefèbvre", "D'Arcy", "Moreau", "Laurent", "De Saint-Exupéry"],
        ["Louis", "Jean Pierre", "Hugo", "Antoine", "Théo"],
        ["Chloé", "Manon", "Camille", "Marie Claire", "Éloïse"],
        ["FRA", "BEL", "CHE"],
    ),
}


def transliterate(name: str) -> str:
    """`name` in the upper-case Latin letters of ICAO 9303 (`Müller` → `MUELLER`)."""
    out = []
    for char in name.upper():
        mapped = _ICAO.get(char)
        if mapped is None:
            decomposed = unicodedata.normalize("NFKD", char)
            mapped = "".join(c for c in decomposed if not unicodedata.combining(c))
        out.append(mapped)
    return "".join(out).replace("ı", "I")


def _ascii(
    lists: tuple[list[str], list[str], list[str], list[str]],
) -> tuple[list[str], list[str], list[str], list[str]]:
    surnames, males, females, nationalities = lists
    return (
        [transliterate(n) for n in surnames],
        [transliterate(n) for n in males],
        [transliterate(n) for n in females],
        nationalities,
    )


CULTURES = {culture: _ascii(lists) for culture, lists in _NATIVE.items()}
CULTURE_NAMES = sorted(CULTURES)


@dataclass(frozen=True, slots=True)
class Name:
    surname: str
    given: str
    gender: str  # M or F


def culture_for(rng: random.Random, country3: str) -> str:
    """A culture whose nationalities include `country3` most of the time, else any."""
    local = [c for c in CULTURE_NAMES if country3 in CULTURES[c][3]]
    if local and rng.random() < 0.6:
        return rng.choice(local)
    return rng.choice(CULTURE_NAMES)


def nationality(rng: random.Random, culture: str) -> str:
    return rng.choice(CULTURES[culture][3])


def surname(rng: random.Random, culture: str) -> str:
    return rng.choice(CULTURES[culture][0])


def given_name(rng: random.Random, culture: str, gender: str) -> str:
    _, males, females, _ = CULTURES[culture]
    return rng.choice(males if gender == "M" else females)
