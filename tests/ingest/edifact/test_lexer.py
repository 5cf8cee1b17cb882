"""The tolerant segment lexer: separators, escapes, whitespace and positions."""

from __future__ import annotations

from firstline.ingest.edifact.lexer import Segment, Source, tokenize
from firstline.ingest.edifact.service import ServiceChars

PLAIN = ServiceChars()
V4 = ServiceChars(repetition="*")


def tags(segments: list[Segment]) -> list[str]:
    return [s.tag for s in segments]


def raw(text: str, segment: Segment) -> str:
    return text[segment.offset : segment.end]


def test_segments_elements_and_components() -> None:
    text = "UNH+1+PAXLST:D:05B:UN:IATA'NAD+FL+++DOE:JANE:MARY'UNT+3+1'"
    segments = tokenize(text, PLAIN)
    assert tags(segments) == ["UNH", "NAD", "UNT"]
    unh, nad, unt = segments
    assert unh.elements == [["1"], ["PAXLST", "D", "05B", "UN", "IATA"]]
    assert nad.elements == [["FL"], [""], [""], ["DOE", "JANE", "MARY"]]
    assert (nad.get(1), nad.get(4, 2), nad.get(4, 3)) == ("FL", "JANE", "MARY")
    assert (nad.get(2), nad.get(4, 9), nad.get(9)) == ("", "", "")
    assert nad.element(4) == ["DOE", "JANE", "MARY"]
    assert nad.element(7) == []
    assert nad.occurrences(4) == [["DOE", "JANE", "MARY"]]
    assert nad.occurrences(7) == []
    assert unt.get(1) == "3"
    assert [s.index for s in segments] == [1, 2, 3]


def test_offsets_cover_each_segment() -> None:
    text = "UNH+1+PAXLST:D:05B'BGM+745'UNT+3+1'"
    segments = tokenize(text, PLAIN)
    assert [raw(text, s) for s in segments] == ["UNH+1+PAXLST:D:05B", "BGM+745", "UNT+3+1"]
    assert [(s.offset, s.end) for s in segments] == [(0, 18), (19, 26), (27, 34)]


def test_start_offset_is_absolute() -> None:
    text = "UNA:+.? 'UNH+1+PAXLST:D:05B'UNT+2+1'"
    segments = tokenize(text, PLAIN, start=9)
    assert tags(segments) == ["UNH", "UNT"]
    assert segments[0].offset == 9
    assert raw(text, segments[1]) == "UNT+2+1"


def test_release_character_escapes() -> None:
    text = "NAD+FL+++O?'NEIL?+SMITH:ANN?:MARIE:Q??'FTX+AAA+++50?% OFF'"
    nad, ftx = tokenize(text, PLAIN)
    assert nad.elements[3] == ["O'NEIL+SMITH", "ANN:MARIE", "Q?"]
    # A release before an ordinary character simply makes it literal.
    assert ftx.get(4) == "50% OFF"
    assert raw(text, nad) == "NAD+FL+++O?'NEIL?+SMITH:ANN?:MARIE:Q??"


def test_escaped_release_before_terminator_ends_the_segment() -> None:
    # `??'` is a literal `?` followed by a real terminator.
    nad, unt = tokenize("NAD+FL+++DOE??'UNT+2+1'", PLAIN)
    assert nad.get(4) == "DOE?"
    assert unt.tag == "UNT"


def test_escaped_repetition_under_syntax_4() -> None:
    (att,) = tokenize("FTX+AAA+++A?*B*C'", V4)
    assert att.occurrences(4) == [["A*B"], ["C"]]
    assert att.get(4) == "A*B"


def test_star_is_data_without_repetition_separator() -> None:
    (att,) = tokenize("ATT+2++M*M*M'", PLAIN)
    assert att.get(3) == "M*M*M"
    assert att.repeats is None
    (ftx,) = tokenize("FTX+AAA+++A?*B'", PLAIN)
    assert ftx.get(4) == "A*B"


def test_repetition_separator() -> None:
    (att,) = tokenize("ATT+2++M*M*M*M*M'", V4)
    assert att.get(3) == "M"
    assert att.elements == [["2"], [""], ["M"]]
    assert att.occurrences(3) == [["M"]] * 5
    assert att.repeats == {3: [["M"]] * 5}
    assert att.occurrences(1) == [["2"]]


def test_repetition_of_composites_with_escapes() -> None:
    (seg,) = tokenize("XYZ+A:B*C?:D:E+F'", V4)
    assert seg.occurrences(1) == [["A", "B"], ["C:D", "E"]]
    assert seg.get(1, 2) == "B"
    assert seg.get(2) == "F"


def test_whitespace_between_segments_is_skipped_but_kept_in_values() -> None:
    text = (
        "UNH+1+PAXLST:D:05B'\r\n"
        "\tNAD+FL+++VAN  DER BERG:ANNA MARIA '\r\n"
        "    DTM+232: 1306212200:201'\r\n"
        "  \t UNT+4+1'\r\n"
    )
    segments = tokenize(text, PLAIN)
    assert tags(segments) == ["UNH", "NAD", "DTM", "UNT"]
    _, nad, dtm, _ = segments
    assert nad.element(4) == ["VAN  DER BERG", "ANNA MARIA "]
    assert dtm.get(1, 2) == " 1306212200"  # the DTM decoder trims it, not the lexer
    assert text[nad.offset] == "N"
    assert raw(text, segments[3]) == "UNT+4+1"


def test_empty_segments_and_missing_final_terminator() -> None:
    segments = tokenize("''UNH+1'' '\nBGM+745", PLAIN)
    assert tags(segments) == ["UNH", "BGM"]
    assert segments[1].get(1) == "745"
    assert tokenize("", PLAIN) == []
    assert tokenize(" \r\n\t", PLAIN) == []


def test_tag_without_elements() -> None:
    (src,) = tokenize("SRC'", PLAIN)
    assert (src.tag, src.elements) == ("SRC", [])


def test_junk_on_its_own_line_is_skipped_and_recorded() -> None:
    text = "UNH+1+PAXLST:D:05B'\n# comment line\nBGM+745'  ### note\nUNT+3+1'"
    junk: list[tuple[int, str]] = []
    segments = tokenize(text, PLAIN, junk=junk)
    assert tags(segments) == ["UNH", "BGM", "UNT"]
    assert junk == [
        (text.index("# comment"), "# comment line"),
        (text.index("### note"), "### note"),
    ]
    assert raw(text, segments[1]) == "BGM+745"
    # Without a list to record into, junk is still skipped.
    assert tags(tokenize(text, PLAIN)) == ["UNH", "BGM", "UNT"]


def test_custom_separators() -> None:
    chars = ServiceChars(element="*", terminator="$")
    text = "UNH*1*PAXLST:D:05B$NAD*FL***DOE?*X:JO?$HN:O'NEIL$UNT*3*1$"
    unh, nad, unt = tokenize(text, chars)
    assert unh.element(2) == ["PAXLST", "D", "05B"]
    assert nad.element(4) == ["DOE*X", "JO$HN", "O'NEIL"]
    assert unt.get(1) == "3"


def test_parenthesis_separators() -> None:
    chars = ServiceChars(element="(", terminator=")")
    segments = tokenize("UNH(1(PAXLST:D:05B)BGM(745)UNT(3(1)", chars)
    assert [(s.tag, s.get(1)) for s in segments] == [("UNH", "1"), ("BGM", "745"), ("UNT", "3")]


def test_other_release_character() -> None:
    chars = ServiceChars(release="\\")
    (nad,) = tokenize("NAD+FL+++O\\'NEIL?:ANN'", chars)
    assert nad.element(4) == ["O'NEIL?", "ANN"]


def test_no_release_character() -> None:
    chars = ServiceChars(release=None)
    nad, unt = tokenize("NAD+FL+++WHY?:ANN'UNT+2+1'", chars)
    assert nad.element(4) == ["WHY?", "ANN"]
    assert unt.tag == "UNT"


def test_dangling_release_at_the_end() -> None:
    (nad,) = tokenize("NAD+FL+++DOE?", PLAIN)
    assert nad.get(4) == "DOE"


def test_line_col() -> None:
    text = "UNH+1+PAXLST:D:05B'\nBGM+745'\r\n  UNT+3+1'"
    source = Source(text, PLAIN)
    segments = tokenize(text, PLAIN)
    assert [source.line_col(s.offset) for s in segments] == [(1, 1), (2, 1), (3, 3)]
    assert source.line_col(0) == (1, 1)
    assert source.line_col(len(text)) == (3, len("  UNT+3+1'") + 1)


def test_line_col_after_a_removed_prefix() -> None:
    # `text` started 12 characters into line 3 of what was received.
    source = Source("UNH+1'\nUNT+2+1'", PLAIN, line_base=2, column_base=12)
    assert source.line_col(0) == (3, 13)
    assert source.line_col(7) == (4, 1)


def test_element_offset() -> None:
    text = "UNH+1'\nDTM+232: 1306212200:201'\nNAD+FL+++O?'NEIL:ANN+X?+Y+CITY'"
    source = Source(text, PLAIN)
    _, dtm, nad = tokenize(text, PLAIN)
    assert text[source.element_offset(dtm, 1) :].startswith("232:")
    assert text[source.element_offset(dtm, 1, 2) :].startswith(" 1306212200")
    assert text[source.element_offset(dtm, 1, 3) :].startswith("201'")
    # Escaped separators are not counted as separators.
    assert text[source.element_offset(nad, 4) :].startswith("O?'NEIL")
    assert text[source.element_offset(nad, 4, 2) :].startswith("ANN+")
    assert text[source.element_offset(nad, 5) :].startswith("X?+Y")
    assert text[source.element_offset(nad, 6) :].startswith("CITY")
    # Beyond the last element: the end of the segment.
    assert source.element_offset(nad, 9) == nad.end
    assert source.line_col(source.element_offset(dtm, 1, 2)) == (2, 9)


def test_element_offset_counts_repetitions_as_separators() -> None:
    text = "ATT+2++M*F+X'"
    (att,) = tokenize(text, V4)
    source = Source(text, V4)
    # The repetition separator ends an occurrence like an element separator does.
    assert text[source.element_offset(att, 3) :].startswith("M*F")
