"""Names as airlines send them: ICAO 9303 transliteration into ASCII capitals."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from firstline.generate.names import CULTURE_NAMES, CULTURES, given_name, surname, transliterate
from firstline.generate.scenarios import SPELLINGS


@pytest.mark.parametrize(
    ("native", "sent"),
    [
        ("Müller", "MUELLER"),
        ("Åkesson", "AAKESSON"),
        ("Große", "GROSSE"),
        ("Jørgen", "JOERGEN"),
        ("Dvořák", "DVORAK"),
        ("Yılmaz", "YILMAZ"),
        ("Wiśniewska", "WISNIEWSKA"),
        ("De Saint-Exupéry", "DE SAINT-EXUPERY"),
        ("O'Neil", "O'NEIL"),
    ],
)
def test_transliterate(native: str, sent: str) -> None:
    assert transliterate(native) == sent


def test_name_lists_are_ascii_capitals() -> None:
    for surnames, males, females, nationalities in CULTURES.values():
        for name in surnames + males + females:
            assert name.isascii() and name == name.upper()
        assert all(len(code) == 3 for code in nationalities)


@pytest.mark.parametrize(
    ("native", "sent"),
    [("Жуков", "ZHUKOV"), ("Соловьёв", "SOLOVEV"), ("Дмитрий", "DMITRII"), ("Щукин", "SHCHUKIN")],
)
def test_transliterate_cyrillic(native: str, sent: str) -> None:
    assert transliterate(native) == sent


def test_pools_are_large() -> None:
    for culture, (surnames, males, females, _) in CULTURES.items():
        assert len(surnames) >= 80, culture
        assert len(males) >= 60 and len(females) >= 60, culture
        for pool in (surnames, males, females):
            assert len(set(pool)) == len(pool), culture


def test_draws_are_deterministic() -> None:
    def draws(seed: int) -> list[tuple[str, str]]:
        rng = random.Random(seed)
        out = []
        for _ in range(500):
            culture = rng.choice(CULTURE_NAMES)
            out.append((surname(rng, culture), given_name(rng, culture, rng.choice("MF"))))
        return out

    assert draws(7) == draws(7)
    assert draws(7) != draws(8)


def test_common_names_recur_and_full_names_rarely_collide() -> None:
    rng = random.Random(1)
    family = Counter(surname(rng, "german") for _ in range(5000))
    assert family.most_common(1)[0][0] == "MUELLER"  # the commonest, a few per cent
    assert 0.01 < family["MUELLER"] / 5000 < 0.08
    assert len(family) > 100  # and a long tail

    def person() -> tuple[str, str]:
        culture = rng.choice(CULTURE_NAMES)
        return surname(rng, culture), given_name(rng, culture, rng.choice("MF"))

    decoys = {person() for _ in range(200)}
    shared = sum(person() in decoys for _ in range(20_000))
    assert shared < 60  # the old pools of ~6 names shared thousands


def test_compound_names() -> None:
    rng = random.Random(2)
    spanish = [surname(rng, "spanish") for _ in range(400)]
    assert 0.2 < sum(" " in name for name in spanish) / 400 < 0.6  # both surnames, often
    chinese = {given_name(rng, "chinese", "F") for _ in range(400)}
    assert len(chinese) > 200 and all(" " not in name for name in chinese)
    arabic = set(CULTURES["arabic"][0]) | set(CULTURES["arabic"][1])
    assert {"AL QAHTANI", "EL AMRANI", "ABDUL RAHMAN"} <= arabic


def test_listed_spellings_of_variants_are_drawn_names() -> None:
    given = {name for _, males, _, _ in CULTURES.values() for name in males}
    assert {listed for listed, _ in SPELLINGS} <= given
