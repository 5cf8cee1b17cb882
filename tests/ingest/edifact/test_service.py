"""Service string advice (UNA) and default separators."""

from __future__ import annotations

import pytest

from firstline.exc import ParseError
from firstline.ingest.edifact import service
from firstline.ingest.edifact.service import DEFAULT, ServiceChars

BODY = "UNB+UNOA:4+SENDER+RECEIVER+250101:1200+1'UNH+1+PAXLST:D:05B:UN:IATA'UNT+2+1'"


def test_defaults_without_una() -> None:
    chars, start, warnings = service.detect("UNH+1+PAXLST:D:05B:UN:IATA'UNT+2+1'")
    assert chars == DEFAULT
    assert (chars.component, chars.element, chars.decimal) == (":", "+", ".")
    assert (chars.release, chars.repetition, chars.terminator) == ("?", None, "'")
    assert (start, warnings) == (0, [])


def test_syntax_4_without_una_repeats_with_star() -> None:
    chars, _, _ = service.detect(BODY)
    assert chars.repetition == "*"
    assert chars.separators == (":", "+", "'", "*")


def test_syntax_3_without_una_has_no_repetition() -> None:
    chars, _, _ = service.detect(BODY.replace("UNOA:4", "UNOA:3"))
    assert chars.repetition is None
    assert chars.separators == (":", "+", "'")


def test_una_default_string() -> None:
    text = "UNA:+.? '" + BODY
    chars, start, warnings = service.detect(text)
    assert chars == ServiceChars()
    assert text[start:].startswith("UNB+")
    assert warnings == []


def test_una_overrides_syntax_version() -> None:
    # UNA wins: a blank repetition position means none, even under syntax 4.
    chars, _, _ = service.detect("UNA:+.? '" + BODY)
    assert chars.repetition is None
    chars, _, _ = service.detect("UNA:+.?*'" + BODY)
    assert chars.repetition == "*"


def test_una_star_element_and_dollar_terminator() -> None:
    text = "UNA:*.? $UNB*UNOA:4*SENDER*RECEIVER$UNH*1*PAXLST:D:05B$UNT*2*1$"
    chars, start, warnings = service.detect(text)
    assert (chars.component, chars.element, chars.terminator) == (":", "*", "$")
    assert chars.release == "?"
    assert chars.repetition is None
    assert start == 9
    assert warnings == []


def test_una_parentheses() -> None:
    chars, start, _ = service.detect("UNA:(.? )UNB(UNOA:4(A(B)UNH(1(PAXLST:D:05B)UNT(2(1)")
    assert (chars.element, chars.terminator) == ("(", ")")
    assert start == 9


def test_una_without_release_character() -> None:
    chars, _, _ = service.detect("UNA:+.  '" + BODY)
    assert chars.release is None


def test_una_followed_by_line_break() -> None:
    text = "UNA:+.? '\r\nUNB+UNOA:4+A+B'"
    chars, start, warnings = service.detect(text)
    assert chars.terminator == "'"
    assert text[start:].startswith("UNB")
    assert warnings == []


def test_short_una_is_recovered_with_warning() -> None:
    text = "UNA:+.?'UNB+UNOA:4+A+B'UNH+1+PAXLST:D:05B'UNT+2+1'"
    chars, start, warnings = service.detect(text)
    assert (chars.component, chars.element, chars.release, chars.terminator) == (
        ":",
        "+",
        "?",
        "'",
    )
    assert chars.repetition is None
    assert start == 8
    (warning,) = warnings
    assert (warning.code, warning.segment, warning.line, warning.column) == (
        "una_short",
        "UNA",
        1,
        1,
    )
    assert (warning.expected, warning.found) == ("6 characters", ":+.?'")


def test_short_una_on_its_own_line_is_recovered() -> None:
    # Regression: the line break made the gap to UNB six characters again, and was then read
    # as a (blank) terminator, which raised ParseError.
    text = "UNA:+.?'\nUNB+UNOA:4+A+B'\nUNH+1+PAXLST:D:05B'\nUNT+2+1'"
    chars, start, warnings = service.detect(text)
    assert chars.terminator == "'"
    assert text[start:].startswith("UNB")
    assert [w.code for w in warnings] == ["una_short"]


def test_typographic_apostrophe_in_una() -> None:
    text = "UNA:+.? \u2019UNB+UNOA:4+A+B'UNH+1+PAXLST:D:05B'UNT+2+1'"
    chars, start, warnings = service.detect(text)
    assert chars.terminator == "'"
    assert text[start:].startswith("UNB")
    (warning,) = warnings
    assert warning.code == "una_terminator_unused"
    assert (warning.expected, warning.found, warning.column) == ("\u2019", "'", 9)


def test_declared_terminator_in_use_is_kept_even_with_apostrophes() -> None:
    chars, _, warnings = service.detect("UNA:+.? $UNB+UNOA:4+A+O'HARE$UNH+1+PAXLST:D:05B$")
    assert chars.terminator == "$"
    assert warnings == []


@pytest.mark.parametrize(
    "text",
    [
        "UNA:+.",  # truncated
        "UNA",
        "UNA:+.? ",  # six characters missing their terminator, nothing after
        "UNA::.? 'UNB+UNOA:4'",  # component = element
        "UNA:+.? :UNB+UNOA:4'",  # terminator = component
        "UNA:+.?* UNB+UNOA:4'",  # blank terminator
        "UNA:+.?*'XUNB+UNOA:4'",  # seven characters
    ],
)
def test_unusable_una_raises(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        service.detect(text)
    assert caught.value.segment == "UNA"
    assert caught.value.offset == 0
    assert caught.value.line == 1


def test_terminator_guessed_from_line_ends() -> None:
    text = 'UNB+SIRE:4+CA+NIAC"\nUNH+1+PAXLST:D:05B"\nUNT+2+1"\n'
    chars, start, warnings = service.detect(text)
    assert chars.terminator == '"'
    assert chars.repetition == "*"  # syntax 4 in UNB
    assert start == 0
    (warning,) = warnings
    assert (warning.code, warning.segment, warning.line) == ("terminator_guessed", "UNB", 1)
    assert (warning.expected, warning.found) == ("'", '"')


@pytest.mark.parametrize(
    "text",
    [
        "UNH+1+PAXLST:D:05B\nUNT+2+1\n",  # a letter/digit ends the line: no guess
        "UNH+1+PAXLST:D:05B+\nUNT+2+1+\n",  # a separator ends the line: no guess
        'UNH+1+PAXLST:D:05B"UNT+2+1"',  # one line only
    ],
)
def test_terminator_not_guessed(text: str) -> None:
    chars, _, warnings = service.detect(text)
    assert chars.terminator == "'"
    assert warnings == []


def test_five_characters_then_a_line_break_read_as_short_una() -> None:
    # Six characters ending in a line break would declare a blank terminator: read instead as
    # a five-character UNA, and its unused terminator `*` falls back to the `'` in use.
    text = "UNA:+.?*\nUNB+UNOA:4+A+B'"
    chars, start, warnings = service.detect(text)
    assert chars.terminator == "'"
    assert text[start:].startswith("UNB")
    assert [w.code for w in warnings] == ["una_short", "una_terminator_unused"]
