"""Interchange envelope: wrappers, UNB/UNG/UNH/UNT/UNE/UNZ and their counts."""

from __future__ import annotations

import pytest

from firstline.exc import ParseError
from firstline.ingest.edifact.envelope import Interchange, read_interchange, strip_wrappers
from firstline.model.message import ParseWarning

MESSAGE = "UNH+1+PAXLST:D:05B:UN:IATA+XX100/250101/1200+01:F'BGM+745'NAD+FL+++DOE:JANE'UNT+4+1'"
INTERCHANGE = (
    "UNA:+.? '"
    "UNB+UNOA:4+SENDER:ZZ+RECEIVER:ZZ+250101:1200+REF1++APIS'"
    "UNG+PAXLST+SENDERAPP+RECEIVERAPP+250101:1200+7+UN+D:05B'"
    f"{MESSAGE}"
    "UNE+1+7'"
    "UNZ+1+REF1'"
)


def codes(warnings: list[ParseWarning]) -> list[str]:
    return [w.code for w in warnings]


def position(warning: ParseWarning) -> tuple[object, ...]:
    return (warning.code, warning.segment, warning.segment_index, warning.line, warning.column)


def all_warnings(interchange: Interchange) -> list[str]:
    found = codes(interchange.warnings)
    for message in interchange.messages:
        found += codes(message.warnings)
    return found


def test_full_interchange() -> None:
    interchange = read_interchange(INTERCHANGE.encode())
    assert all_warnings(interchange) == []
    (message,) = interchange.messages
    assert [s.tag for s in message.segments] == ["UNH", "BGM", "NAD", "UNT"]
    header = message.header
    assert header.message_type == "PAXLST"
    assert header.directory == "D:05B"
    assert header.profile == "IATA"
    assert header.syntax == "UNOA:4"
    assert (header.sender, header.recipient) == ("SENDER", "RECEIVER")
    assert header.prepared_at == "250101:1200"
    assert header.interchange_reference == "REF1"
    assert header.application_reference == "APIS"
    assert header.message_reference == "1"
    assert header.common_access_reference == "XX100/250101/1200"
    assert (header.part_number, header.is_last_part) == (1, True)
    assert header.extra == {"group_sender": "SENDERAPP", "group_reference": "7"}
    # Segment ordinals count from UNB (UNA is not a segment).
    assert [s.index for s in message.segments] == [3, 4, 5, 6]


def test_str_and_bytes_read_alike() -> None:
    from_bytes = read_interchange(INTERCHANGE.encode())
    from_text = read_interchange(INTERCHANGE)
    assert from_bytes.messages[0].header == from_text.messages[0].header


def test_latin1_bytes_are_decoded() -> None:
    data = MESSAGE.replace("JANE", "J\xc9R\xd4ME").encode("latin-1")
    (message,) = read_interchange(data).messages
    assert message.segments[2].get(4, 2) == "J\xc9R\xd4ME"


def test_body_only_message() -> None:
    interchange = read_interchange(MESSAGE)
    assert interchange.warnings == []
    header = interchange.messages[0].header
    assert (header.sender, header.syntax, header.interchange_reference) == (None, None, None)


@pytest.mark.parametrize(
    ("status", "part", "last"),
    [
        ("01:C", 1, False),
        ("02", 2, False),
        ("2", 2, False),
        ("03:F", 3, True),
        ("01:F", 1, True),
        ("", None, True),
        # Not a usable part number (regression: "²" passed isdigit() and broke int()).
        ("\u00b2:F", None, True),
        ("9" * 5000 + ":C", None, False),
        ("X:F", None, True),
    ],
)
def test_status_of_transfer(status: str, part: int | None, last: bool) -> None:
    text = f"UNH+1+PAXLST:D:05B+REF+{status}'UNT+2+1'" if status else "UNH+1+PAXLST:D:05B'UNT+2+1'"
    header = read_interchange(text).messages[0].header
    assert (header.part_number, header.is_last_part) == (part, last)


def test_type_b_wrapper_is_removed() -> None:
    data = (
        b"\x01QK LONPPXS\r\n.MUCKMTS 221200\r\n\x02"
        b"UNA:+.? 'UNB+UNOA:4+A+B+250101:1200+R'\r\n"
        b"UNH+1+PAXLST:D:05B'\r\n"
        b"BGM+745'\r\n"
        b"UNT+9+1'\r\n"
        b"UNZ+1+R'\r\n\x03"
    )
    interchange = read_interchange(data)
    assert codes(interchange.warnings) == ["teletype_wrapper"]
    (message,) = interchange.messages
    assert [s.tag for s in message.segments] == ["UNH", "BGM", "UNT"]
    assert interchange.source.text.startswith("UNA")
    assert interchange.source.text.endswith("UNZ+1+R'\r\n")
    # Lines count from the first byte received, wrapper lines included (regression).
    (unt_count,) = message.warnings
    assert (unt_count.code, unt_count.line, unt_count.column) == ("unt_count", 6, 5)
    assert (unt_count.expected, unt_count.found) == ("3", "9")


def test_columns_on_the_wrapper_line() -> None:
    data = "\x01QK LONPPXS\r\n\x02UNH+1+PAXLST:D:05B'UNT+9+1'\x03"
    interchange = read_interchange(data)
    (warning,) = interchange.messages[0].warnings
    # `\x02UNH+1+PAXLST:D:05B'UNT+` puts the count at column 25 of line 2.
    assert (warning.line, warning.column) == (2, 25)


def test_teletype_lines_without_soh_are_leading_text() -> None:
    data = "QK LONPPXS\n.MUCKMTS 221200\nUNH+1+PAXLST:D:05B'\nUNT+3+1'"
    interchange = read_interchange(data)
    (warning,) = interchange.warnings
    assert (warning.code, warning.line) == ("leading_text", 1)
    assert warning.found == "QK LONPPXS\n.MUCKMTS 221200"
    (unt,) = interchange.messages[0].warnings
    assert (unt.code, unt.line, unt.column) == ("unt_count", 4, 5)


def test_byte_order_mark_is_dropped() -> None:
    interchange = read_interchange(b"\xef\xbb\xbf" + MESSAGE.encode())
    assert interchange.warnings == []
    assert interchange.source.text.startswith("UNH")


def test_strip_wrappers_keeps_its_shape() -> None:
    text, warnings = strip_wrappers("\x01ADDR\r\n\x02UNH+1'UNT+2+1'\x03trailer")
    assert text == "UNH+1'UNT+2+1'"
    assert codes(warnings) == ["teletype_wrapper"]


def test_crlf_and_indentation_between_segments() -> None:
    data = (
        "UNB+UNOA:4+A+B'\r\n\tUNH+1+PAXLST:D:05B'\r\n    NAD+FL+++VAN DER BERG:ANNA'\r\n UNT+3+1'"
    )
    interchange = read_interchange(data)
    assert all_warnings(interchange) == []
    nad = interchange.messages[0].segments[1]
    assert nad.element(4) == ["VAN DER BERG", "ANNA"]
    assert interchange.source.line_col(nad.offset) == (3, 5)


def test_junk_between_segments() -> None:
    data = "UNH+1+PAXLST:D:05B'\n# generated by a test tool\nBGM+745'  ### note\nUNT+3+1'"
    interchange = read_interchange(data)
    assert [(w.code, w.line, w.column, w.found) for w in interchange.warnings] == [
        ("junk_between_segments", 2, 1, "# generated by a test tool"),
        ("junk_between_segments", 3, 11, "### note"),
    ]
    assert interchange.messages[0].warnings == []


def test_missing_unt() -> None:
    data = "UNH+1+PAXLST:D:05B'BGM+745'\nUNH+2+PAXLST:D:05B'BGM+745'"
    first, second = read_interchange(data).messages
    assert [s.tag for s in first.segments] == ["UNH", "BGM"]
    assert [position(w) for w in first.warnings] == [("missing_unt", "UNH", 3, 2, 1)]
    assert (first.warnings[0].expected, first.warnings[0].found) == ("UNT", "UNH")
    assert [position(w) for w in second.warnings] == [("missing_unt", "BGM", 4, 2, 20)]
    assert second.warnings[0].found == "end"


def test_truncated_mid_segment_is_rejected() -> None:
    whole = "UNA:+.? 'UNB+UNOA:4+A+B+300501:0900+1'UNH+1+PAXLST:D:05B'BGM+745'NAD+FL+++DOE:JO"
    with pytest.raises(ParseError, match="truncated") as caught:
        read_interchange(whole)
    assert caught.value.segment == "NAD"
    # Ending on a terminator, or with UNZ, or a released terminator left open: read as before.
    assert read_interchange(whole + "'").messages[0].warnings[0].code == "missing_unt"
    assert read_interchange(whole + "'UNZ+1+1").messages
    with pytest.raises(ParseError):
        read_interchange(whole + "?'")


def test_unt_count_and_reference() -> None:
    (message,) = read_interchange("UNH+A1+PAXLST:D:05B'BGM+745'UNT+5+B2'").messages
    assert [(w.code, w.element, w.expected, w.found) for w in message.warnings] == [
        ("unt_count", 1, "3", "5"),
        ("unt_reference", 2, "A1", "B2"),
    ]
    assert [w.column for w in message.warnings] == [33, 35]


def test_stray_une() -> None:
    interchange = read_interchange("UNB+UNOA:4+A+B'UNH+1+PAXLST:D:05B'UNT+2+1'UNE+1+1'UNZ+1+R'")
    assert [position(w) for w in interchange.warnings] == [("stray_une", "UNE", 4, 1, 43)]


def test_stray_unt_and_segments_outside_messages() -> None:
    data = "UNB+UNOA:4+A+B'BGM+745'UNT+1+1'UNH+1+PAXLST:D:05B'UNT+2+1'"
    interchange = read_interchange(data)
    assert [(w.code, w.segment, w.found) for w in interchange.warnings] == [
        ("outside_message", "BGM", "BGM"),
        ("stray_unt", "UNT", None),
    ]
    assert len(interchange.messages) == 1


def test_une_and_unz_counts() -> None:
    data = (
        "UNB+UNOA:4+A+B'UNG+PAXLST+A+B'"
        "UNH+1+PAXLST:D:05B'UNT+2+1'UNH+2+PAXLST:D:05B'UNT+2+2'"
        "UNE+3+1'UNZ+2+R'"
    )
    interchange = read_interchange(data)
    assert [(w.code, w.segment, w.element, w.expected, w.found) for w in interchange.warnings] == [
        ("une_count", "UNE", 1, "2", "3"),
        ("unz_count", "UNZ", 1, "1", "2"),  # UNZ counts groups when there are groups
    ]
    assert len(interchange.messages) == 2


def test_unz_counts_messages_without_groups() -> None:
    data = "UNB+UNOA:4+A+B'UNH+1+PAXLST:D:05B'UNT+2+1'UNH+2+PAXLST:D:05B'UNT+2+2'UNZ+2+R'"
    assert read_interchange(data).warnings == []
    wrong = read_interchange(data.replace("UNZ+2", "UNZ+3"))
    assert [(w.code, w.expected, w.found) for w in wrong.warnings] == [("unz_count", "2", "3")]


def test_messages_share_the_interchange_header() -> None:
    data = "UNB+UNOA:4+SENDER+RECEIVER'UNH+1+PAXLST:D:05B'UNT+2+1'UNH+2+PAXLST:D:05B'UNT+2+2'"
    first, second = read_interchange(data).messages
    assert first.header.sender == second.header.sender == "SENDER"
    assert (first.header.message_reference, second.header.message_reference) == ("1", "2")
    assert first.header is not second.header


def test_custom_separators_through_the_envelope() -> None:
    data = (
        "UNA:*.? $UNB*UNOA:4*A*B$\r\n"
        "UNH*1*PAXLST:D:05B$\r\n"
        "NAD*FL***O'NEIL:J?$$\r\n"
        "UNT*3*1$\r\n"
        "UNZ*1*1$"
    )
    interchange = read_interchange(data)
    assert all_warnings(interchange) == []
    nad = interchange.messages[0].segments[1]
    assert nad.element(4) == ["O'NEIL", "J$"]


def test_no_message_header_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as caught:
        read_interchange("UNB+UNOA:4+A+B'UNZ+0+R'")
    assert (caught.value.segment, caught.value.expected, caught.value.found) == (
        "UNB",
        "UNH",
        "UNB",
    )


@pytest.mark.parametrize("data", [b"", b"hello world", b"\x02\x03", b"<xml/>", b"   UN"])
def test_not_edifact_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError) as caught:
        read_interchange(data)
    assert caught.value.expected == "UNA, UNB or UNH"
