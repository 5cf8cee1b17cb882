"""ICAO 9303 check digits and synthetic document numbers that carry one."""

from __future__ import annotations

import random

WEIGHTS = (7, 3, 1)


def _value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise ValueError(f"not an MRZ character: {char!r}")


def check_digit(text: str) -> str:
    """The ICAO 9303 Part 3 check digit of `text` (weights 7, 3, 1; A=10..Z=35, `<`=0)."""
    return str(sum(_value(c) * WEIGHTS[i % 3] for i, c in enumerate(text.upper())) % 10)


def valid(number: str) -> bool:
    """True when the last character of `number` is the check digit of the ones before."""
    return len(number) > 1 and number[-1] == check_digit(number[:-1])


def document_number(rng: random.Random, letters: str) -> str:
    """A nine-character number: one of `letters`, seven digits, the check digit."""
    body = f"{rng.choice(letters)}{rng.randrange(10**6, 10**7)}"
    return body + check_digit(body)
