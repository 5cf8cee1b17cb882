"""Names as airlines send them: ICAO 9303 transliteration into ASCII capitals."""

from __future__ import annotations

import pytest

from firstline.generate.names import CULTURES, transliterate


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
