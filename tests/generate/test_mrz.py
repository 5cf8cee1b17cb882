"""ICAO 9303 check digits, and generated document numbers that carry a valid one."""

from __future__ import annotations

import random
from datetime import date

import pytest

from firstline.generate import DayPlan
from firstline.generate.day import plan_flights
from firstline.generate.mrz import check_digit, document_number, valid
from firstline.generate.people import draw_booking


@pytest.mark.parametrize(
    ("text", "digit"),
    [
        ("L898902C", "3"),  # ICAO 9303 specimen passport (ERIKSSON ANNA MARIA)
        ("L898902C<", "3"),  # the same, padded to nine characters
        ("740812", "2"),  # its date of birth
        ("120415", "9"),  # its date of expiry
        ("ZE184226B<<<<<", "1"),  # its optional data (personal number)
        ("AB2134<<<", "5"),  # Part 3 worked example
        ("520727", "3"),  # Part 3 worked example (date)
        ("", "0"),
    ],
)
def test_known_examples(text: str, digit: str) -> None:
    assert check_digit(text) == digit


def test_rejects_characters_outside_the_mrz_set() -> None:
    with pytest.raises(ValueError):
        check_digit("AB-12")


def test_generated_numbers_are_valid() -> None:
    rng = random.Random(7)
    numbers = [document_number(rng, "ABC") for _ in range(500)]
    assert all(len(n) == 9 and n[0] in "ABC" and n[1:].isdigit() and valid(n) for n in numbers)
    assert not valid(numbers[0][:-1] + str((int(numbers[0][-1]) + 1) % 10))
    plan = DayPlan(day=date(2030, 5, 1), flights=3, seed=2)
    for flight, flight_rng in plan_flights(plan):
        booking = draw_booking(flight_rng, flight, key="k", size=4)
        assert all(valid(d.number) for t in booking.travellers for d in t.documents)
