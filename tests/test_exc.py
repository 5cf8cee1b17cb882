"""ParseError's reasons as templates: the English is what it always was (command line, API,
logs), and the stored detail keeps the template and its parameters for the pages to
translate (firstline/web/problems.py)."""

from __future__ import annotations

import pytest

from firstline.exc import ParseError, UnsupportedMessageError
from firstline.ingest.edifact.envelope import read_interchange
from firstline.ingest.reader import read_message


def _raised(data: bytes | str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        if isinstance(data, str):
            read_interchange(data)
        else:
            read_message(data)
    return caught.value


def test_a_reason_with_parameters_reads_as_the_english_and_keeps_its_template() -> None:
    error = ParseError(
        "XML document {name} is not a PNRGOV message",
        segment="Foo",
        line=3,
        expected="{root}",
        found="Foo",
        params={"name": "Foo", "root": "PNRGOV_Request", "unused": 1},
    )
    assert error.reason == str(error.args[0]) == "XML document Foo is not a PNRGOV message"
    assert error.expected == "PNRGOV_Request"
    assert str(error) == (
        "XML document Foo is not a PNRGOV message (segment Foo, line 3): "
        "expected PNRGOV_Request, found 'Foo'"
    )
    detail = error.detail()
    assert detail["reason"] == "XML document Foo is not a PNRGOV message"
    assert detail["reason_template"] == "XML document {name} is not a PNRGOV message"
    assert detail["expected_template"] == "{root}"
    assert detail["params"] == {"name": "Foo", "root": "PNRGOV_Request", "unused": "1"}


def test_a_reason_without_parameters_is_its_own_template() -> None:
    # Braces are kept as they are: only a reason with parameters is filled in.
    error = ParseError("odd {braces}", expected="UNH", found="")
    assert str(error) == "odd {braces}: expected UNH, found ''"
    assert error.detail() == {
        "reason": "odd {braces}", "segment": None, "segment_index": None, "offset": None,
        "line": None, "expected": "UNH", "found": "",
    }  # fmt: skip


def test_the_readers_reasons_read_as_before() -> None:
    unsupported = _raised(b"UNA:+.? 'UNB+UNOA:4+X+Y+260101:1200+R1'UNH+1+CUSRES:D:05B:UN'UNT+2+1'")
    assert isinstance(unsupported, UnsupportedMessageError)
    assert unsupported.reason == "message type CUSRES is not ingested yet"
    assert unsupported.expected == "PAXLST or PNRGOV"
    assert unsupported.detail()["params"] == {
        "type": "CUSRES", "types": "PAXLST", "last": "PNRGOV",
    }  # fmt: skip

    truncated = _raised("UNA:+.? 'UNB+UNOA:4+A+B+300501:0900+1'UNH+1+PAXLST:D:05B'NAD+FL+++DOE")
    assert (
        truncated.reason == "interchange truncated: it stops inside a segment, without UNT or UNZ"
    )
    assert truncated.expected == 'a segment terminator "\'", UNT and UNZ'

    mismatched = _raised(b"<PNR>\n  <Name></PNR>")
    assert mismatched.reason == "XML is not well-formed: mismatched tag at column 11"
    assert mismatched.expected == "well-formed XML"
    assert mismatched.detail()["reason_template"] == (
        "XML is not well-formed: {problem} at column {column}"
    )

    refused = _raised(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    assert refused.reason == (
        "XML refused (DTDForbidden): document type declarations, entities and external "
        "references are not accepted in a PNR push at column 13"
    )
    assert refused.expected == "XML without a DOCTYPE"

    nothing = _raised(b"hello")
    assert (nothing.reason, nothing.expected, nothing.found) == (
        "no EDIFACT message found", "UNA, UNB or UNH", "hello",
    )  # fmt: skip
    assert "params" not in nothing.detail()
