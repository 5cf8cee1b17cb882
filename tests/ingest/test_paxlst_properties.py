"""Properties of `read_message` on hostile input: it returns or raises a FirstlineError, fast.

Three sources of input: arbitrary bytes, EDIFACT-shaped noise built from PAXLST vocabulary,
and corpus messages mutated the way transmission and bad generators damage them (bytes lost
or inserted, separators sprinkled in, truncation, segments shuffled or repeated). Every call is
guarded by a time budget: this is a hang guard, not a speed test.
"""

from __future__ import annotations

import json
import os
import time
from datetime import date
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from firstline.exc import FirstlineError
from firstline.ingest.multipart import reassemble
from firstline.ingest.reader import read_message
from firstline.model.serialize import passenger_list_view

TODAY = date(2025, 1, 1)
BUDGET_SECONDS = 2.0
# FIRSTLINE_FUZZ_EXAMPLES raises the count for a longer hunt (the default keeps CI fast).
SETTINGS = settings(
    max_examples=int(os.environ.get("FIRSTLINE_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SEPARATORS = b"'+:?*"
TAGS = [
    "UNA", "UNB", "UNG", "UNH", "BGM", "RFF", "NAD", "COM", "TDT", "LOC", "DTM", "ATT", "NAT",
    "MEA", "GEI", "FTX", "EMP", "DOC", "CNT", "UNT", "UNE", "UNZ", "ERC", "SRC",
]  # fmt: skip
QUALIFIERS = [
    "", "1", "2", "4", "20", "22", "36", "41", "42", "87", "91", "92", "101", "102", "125",
    "174", "178", "179", "180", "182", "189", "201", "203", "232", "329", "AVF", "ABO", "BAG",
    "CT", "DDT", "DDU", "F", "FL", "FM", "MS", "P", "SEA", "TN", "V", "WT", "YZY", "ZZZ",
    "PAXLST", "01", "02:C", "03:F",
]  # fmt: skip
VALUE_CHARS = "ABCMXZ0123456789 .-/?'+:*\"$\r\n\t²٣"


def guarded_read(data: bytes) -> None:
    """Read `data`; only FirstlineError may escape, and the call must finish in time."""
    started = time.perf_counter()
    try:
        result = read_message(data, today=TODAY)
    except FirstlineError:
        result = None
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET_SECONDS, f"read_message took {elapsed:.2f} s on {len(data)} bytes"
    if result is None:
        return
    for message in reassemble(result.messages):
        json.dumps(passenger_list_view(message), allow_nan=False)


@cache
def corpus_messages(corpus_dir: Path) -> tuple[bytes, ...]:
    """Every corpus file read_message accepts as a message, including rejected types."""
    return tuple(
        path.read_bytes()
        for path in sorted(corpus_dir.rglob("*"))
        if path.is_file() and path.name != "INDEX.md"
    )


# --- (a) arbitrary bytes -------------------------------------------------------------------


@SETTINGS
@given(st.binary(max_size=2048))
@example(b"")
@example(b"UNA")
@example(b"UNA:+.?'\nUNB+UNOA:4'\nUNH+1+PAXLST'\n")
@example(b"\x02\x03UNH")
@example(b"<?xml")
def test_arbitrary_bytes(data: bytes) -> None:
    guarded_read(data)


# --- EDIFACT-shaped noise ------------------------------------------------------------------

values = st.text(alphabet=VALUE_CHARS, max_size=10)
components = st.lists(st.one_of(st.sampled_from(QUALIFIERS), values), max_size=4).map(":".join)
elements = st.lists(components, max_size=6)
segments = st.builds(lambda tag, parts: "+".join([tag, *parts]), st.sampled_from(TAGS), elements)
prefixes = st.sampled_from(
    [
        "",
        "UNA:+.? '",
        "UNA:+.?*'",
        "UNA:*.? $",
        "UNA:(.? )",
        "UNA:+.?'",
        "UNA:+.? \u2019",
        "\x01QK ADDR\r\n.ORIGIN 221200\r\n\x02",
        "UNB+UNOA:4+A+B+250101:1200+R'",
        'UNB+SIRE:4+A+B"\n',
    ]
)
terminators = st.sampled_from(["'", "'\r\n", "'\n\t", '"\n', "$", ")"])


@SETTINGS
@given(prefixes, st.lists(segments, max_size=30), terminators)
@example("", ["UNH+1+PAXLST:D:05B", "CNT+42:²", "UNT+3+1"], "'")  # int("²") (fixed)
@example("", ["UNH+1+PAXLST:D:05B+X+²:F", "UNT+2+1"], "'")
@example("", ["UNH+1+PAXLST:D:05B", "CNT+42:" + "9" * 5000, "UNT+3+1"], "'")  # 4300-digit limit
@example("", ["UNH+1+PAXLST:D:05B", "NAD+FL+++A:B", "MEA+WT++KGM:nan", "UNT+4+1"], "'")
@example("", ["UNH+1+PAXLST:D:05B", "NAD+FL+++A:B", "DTM+329:²²²²²²", "UNT+4+1"], "'")
@example("", ["UNH+1+PAXLST:D:05B", "NAD+FL+++A:B", "FTX+BAG+++T:²", "UNT+4+1"], "'")
def test_edifact_shaped_noise(prefix: str, parts: list[str], terminator: str) -> None:
    text = prefix + "UNH+1+PAXLST:D:05B:UN:IATA" + terminator
    text += "".join(part + terminator for part in parts)
    guarded_read(text.encode())


@SETTINGS
@given(prefixes, st.lists(segments, max_size=30), terminators)
def test_edifact_shaped_noise_without_fixed_header(
    prefix: str, parts: list[str], terminator: str
) -> None:
    guarded_read((prefix + "".join(part + terminator for part in parts)).encode())


SERVICE_CHARS = "':+?*. $()\"\n\t\\A1’"


@SETTINGS
@given(
    st.text(alphabet=SERVICE_CHARS, min_size=4, max_size=8),
    st.lists(
        st.one_of(st.sampled_from(TAGS), st.text(alphabet=SERVICE_CHARS, max_size=6)), max_size=40
    ),
)
@example(":+:? '", ["UNH", "+1+PAXLST", "'", "NAD+FL+++A:B", "'"])  # release = component
@example(":+.+*'", ["UNH+1+PAXLST'", "ATT+2++M*F'"])  # release = element
@example(":+.?+'", ["UNH+1+PAXLST'", "ATT+2++M+F'"])  # repetition = element
def test_odd_service_strings(una: str, pieces: list[str]) -> None:
    guarded_read(("UNA" + una + "UNB+UNOA:4'UNH+1+PAXLST:D:05B'" + "".join(pieces)).encode())


# --- (b) mutated corpus messages -----------------------------------------------------------


def split_segments(data: bytes) -> list[bytes]:
    """Segments with their terminators, by the terminator the file uses (`'`, else line ends)."""
    terminator = b"'" if b"'" in data else b"\n"
    pieces = data.split(terminator)
    return [piece + terminator for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])


@st.composite
def mutations(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(
            st.sampled_from(["delete", "separator", "bytes", "truncate", "shuffle", "duplicate"])
        )
        size = len(data)
        if kind in ("delete", "separator", "bytes", "truncate") and size == 0:
            continue
        if kind == "delete":
            at = draw(st.integers(min_value=0, max_value=size - 1))
            span = draw(st.integers(min_value=1, max_value=16))
            del data[at : at + span]
        elif kind == "separator":
            at = draw(st.integers(min_value=0, max_value=size))
            data[at:at] = draw(st.binary(min_size=1, max_size=3).map(lambda b: bytes(
                SEPARATORS[x % len(SEPARATORS)] for x in b
            )))  # fmt: skip
        elif kind == "bytes":
            at = draw(st.integers(min_value=0, max_value=size))
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "truncate":
            del data[draw(st.integers(min_value=0, max_value=size - 1)) :]
        else:
            pieces = split_segments(bytes(data))
            if len(pieces) < 2:
                continue
            if kind == "shuffle":
                pieces = draw(st.permutations(pieces))
            else:
                at = draw(st.integers(min_value=0, max_value=len(pieces) - 1))
                copies = draw(st.integers(min_value=1, max_value=3))
                target = draw(st.integers(min_value=0, max_value=len(pieces)))
                pieces[target:target] = [pieces[at]] * copies
            data = bytearray(b"".join(pieces))
    return bytes(data)


@SETTINGS
@given(st.data())
def test_mutated_corpus_messages(corpus_dir: Path, data: st.DataObject) -> None:
    original = data.draw(st.sampled_from(corpus_messages(corpus_dir)), label="original")
    guarded_read(data.draw(mutations(original), label="mutated"))


def test_every_corpus_file_is_read_within_budget(corpus_dir: Path) -> None:
    for message in corpus_messages(corpus_dir):
        guarded_read(message)


def test_large_pathological_inputs_finish_in_time() -> None:
    # Long runs that could make a naive splitter quadratic: escaped terminators, release
    # characters, separators without segments, a single endless segment.
    body = "UNH+1+PAXLST:D:05B'NAD+FL+++"
    for filler in ("?'" * 200_000, "?" * 400_001, "+" * 400_000, ":" * 400_000, "'" * 400_000):
        guarded_read((body + filler + "'UNT+3+1'").encode())
    guarded_read(("UNH+1+PAXLST:D:05B'" + "NAD+FL+++A:B'" * 50_000 + "UNT+2+1'").encode())
