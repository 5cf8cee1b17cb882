"""Messages kept as data (firstline.texts): filled in English from their templates, with
messages and listings as parameters."""

from __future__ import annotations

import json
from collections.abc import Mapping

from firstline.texts import fill, listing, message, resolve, said


def test_a_template_is_filled_from_its_parameters() -> None:
    assert fill("'{value}' is not a number", {"value": "young"}) == "'young' is not a number"
    assert fill("{braces} without parameters") == "{braces} without parameters"
    assert fill("at {score:.2f}", {"score": 0.875}) == "at 0.88"


def test_parameters_may_be_messages_and_listings() -> None:
    kind = message("an alias")
    line = message("Name matches {kind}.", {"kind": kind})
    assert said(line) == "Name matches an alias."
    pairs = listing(["a = a", message("{q} ~ {l} ({m})", {"q": "b", "l": "c", "m": kind})])
    assert said(message("Name parts: {parts}.", {"parts": pairs})) == (
        "Name parts: a = a; b ~ c (an alias)."
    )
    assert said(listing(["x", "y"], ", ")) == "x, y"
    # A plain mapping without a template stays as it is.
    assert resolve({"other": {"a": 1}}, fill) == {"other": {"a": 1}}


def test_a_sentence_is_capitalised_and_ends_with_a_full_stop() -> None:
    fact = message("same date of birth ({listed})", {"listed": "1970"}, sentence=True)
    assert said(fact) == "Same date of birth (1970)."
    assert said(message("", sentence=True)) == ""


def test_messages_are_json_and_come_back_the_same() -> None:
    line = message("{first} and {rest}", {"first": message("a"), "rest": listing(["b"])})
    assert said(json.loads(json.dumps(line))) == said(line) == "a and b"


def test_a_custom_say_translates_every_level() -> None:
    french = {"x {kind}": "x est {kind}", "alias": "un alias"}

    def translate(template: str, params: Mapping[str, object] | None) -> str:
        return fill(french.get(template, template), resolve(params, translate))

    line = message("x {kind}", {"kind": message("alias")})
    assert said(line, translate) == "x est un alias"
