"""Properties of the PNRGOV mapper on hostile input: it returns a PnrPush (or the syntax layer
raises a FirstlineError), quickly, without a single `mapping_error`, and no card number from
the input survives anywhere in the result.

Inputs: arbitrary bytes, EDIFACT-shaped noise built from PNRGOV vocabulary, and corpus and
synthetic messages mutated the way transmission and bad generators damage them. The time
budget per example is a hang guard, not a speed test.
"""

from __future__ import annotations

import os
import time
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pnr_factory import CARD, TODAY, pnrgov, rich_booking

from firstline.exc import FirstlineError
from firstline.ingest.edifact.envelope import read_interchange
from firstline.ingest.options import ParseOptions
from firstline.ingest.pnrgov import map_pnrgov
from firstline.model.booking import PnrPush

BUDGET_SECONDS = 2.0
SETTINGS = settings(
    max_examples=int(os.environ.get("FIRSTLINE_FUZZ_EXAMPLES", "1000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
OPTIONS = ParseOptions(today=TODAY, card_key=b"fuzz")
TAGS = [
    "UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ", "MSG", "ORG", "TVL", "EQN", "SRC", "RCI",
    "SSR", "DAT", "IFT", "ADD", "EBD", "TIF", "FTI", "REF", "FAR", "TKT", "MON", "PTK", "TXD",
    "FOP", "TRA", "RPI", "APD", "TRI", "SSD", "TBD", "ABI", "SAC", "LTS", "XYZ",
]  # fmt: skip
QUALIFIERS = [
    "", "1", "2", "3", "22", "700", "710", "A", "C", "IN", "I", "HP", "MP", "B", "T", "E", "CC",
    "VI", "DOCS", "DOCA", "DOCO", "INFT", "FOID", "CTCE", "CTCM", "SEAT", "HK", "ZZ", "AAA",
    "010625", "1030", "20SEP24", "MI", "FI", "/P/FRA/X1/FRA/01JAN80/M/01JAN30/A/B", "PNRGOV",
    "11", "MRS", "ANNMS", "618", "0123456789", CARD,
]  # fmt: skip
VALUE_CHARS = "ABCIMSXZ0123456789 ./-/?'+:*$\r\n\t²"


def guarded_map(data: bytes) -> list[PnrPush]:
    """Map every message in `data`; only FirstlineError may escape, within the budget."""
    started = time.perf_counter()
    pushes: list[PnrPush] = []
    try:
        interchange = read_interchange(data)
    except FirstlineError:
        interchange = None
    if interchange is not None:
        for message in interchange.messages:
            pushes.append(map_pnrgov(message, interchange.source, options=OPTIONS))
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET_SECONDS, f"mapping took {elapsed:.2f} s on {len(data)} bytes"
    for push in pushes:
        errors = [w for w in push.warnings if w.code == "mapping_error"]
        assert not errors, errors
        assert CARD not in repr(where_cards_travel(push))
    return pushes


def where_cards_travel(push: PnrPush) -> list[object]:
    """The parts of a push where real feeds carry card numbers: payments, free text, special
    requests, history, and warnings quoting any of them. (A card number typed into an
    airport field is kept there as sent, like any other bad code.)"""
    parts: list[object] = list(push.warnings)
    for booking in push.bookings:
        parts += [booking.payments, booking.remarks, booking.special_requests, booking.history]
    return parts


@cache
def seed_messages(corpus_dir: Path) -> tuple[bytes, ...]:
    corpus = tuple(
        data
        for path in sorted(corpus_dir.rglob("*"))
        if path.is_file() and path.name != "INDEX.md"
        for data in [path.read_bytes()]
        if b"PNRGOV" in data[:4096] and not data.lstrip().startswith(b"<")
    )
    synthetic = pnrgov([rich_booking(), rich_booking("XYZ789")])
    return (*corpus, synthetic)


# --- arbitrary bytes and PNRGOV-shaped noise -----------------------------------------------


@SETTINGS
@given(st.binary(max_size=2048))
@example(b"UNH+1+PNRGOV:11:1:IA'SRC'TIF'TVL'TRI'UNT+5+1'")
@example(b"UNH+1+PNRGOV'EQN+0'UNT+3+1'")
def test_arbitrary_bytes(data: bytes) -> None:
    guarded_map(b"UNH+1+PNRGOV:11:1:IA'" + data)


values = st.text(alphabet=VALUE_CHARS, max_size=12)
components = st.lists(st.one_of(st.sampled_from(QUALIFIERS), values), max_size=5).map(":".join)
elements = st.lists(components, max_size=7)
segments = st.builds(lambda tag, parts: "+".join([tag, *parts]), st.sampled_from(TAGS), elements)


@SETTINGS
@given(
    st.sampled_from(["", "UNA:+.?*'", "UNA:*.? $", "UNA:+.? '"]),
    st.lists(segments, max_size=40),
    st.sampled_from(["'", "'\n", "'\r\n  ", "$"]),
)
@example("", ["SRC", "TIF+A+B:IN:1", "SSR+DOCS:::::::::/P//X//20SEP24/FI", "TIF+A+B:IN:1"], "'")
@example("", ["SRC", "TVL", "TRI", "TIF", "TVL+", "DAT+2", "SSD", "TBD+1:2:3+4:5"], "'")
@example("", ["SRC", "SSR+INFT:::::::/", "SSR+INFT+::1", "TIF+A+B:A:1"], "'")
@example("", ["SRC", "SSR+DOCS:::::::/P/X/1/X/29FEB00/FI", "TIF+A+:A:1:1"], "'")
@example("", ["TVL+010625+AAA+BBB+ZZ+1", "SRC", "TVL+010625+AAA+BBB+ZZ:ZZ+1", "TRA+ZZ+1"], "'")
def test_pnrgov_shaped_noise(una: str, parts: list[str], terminator: str) -> None:
    text = una + "UNH+1+PNRGOV:11:1:IA+ZZ1/010625" + terminator
    text += "".join(part + terminator for part in parts) + "UNT+2+1" + terminator
    guarded_map(text.encode())


# --- mutated corpus and synthetic messages -------------------------------------------------


@st.composite
def mutations(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["delete", "separator", "bytes", "shuffle", "duplicate"]))
        size = len(data)
        if kind == "delete" and size:
            at = draw(st.integers(min_value=0, max_value=size - 1))
            del data[at : at + draw(st.integers(min_value=1, max_value=12))]
        elif kind == "separator":
            at = draw(st.integers(min_value=0, max_value=size))
            data[at:at] = draw(st.sampled_from([b"'", b"+", b":", b"*", b"?", b"'SRC'", b"'TIF'"]))
        elif kind == "bytes":
            at = draw(st.integers(min_value=0, max_value=size))
            data[at:at] = draw(st.binary(min_size=1, max_size=6))
        else:
            pieces = bytes(data).split(b"'")
            if len(pieces) < 3:
                continue
            if kind == "shuffle":
                head, body = pieces[:3], pieces[3:]
                pieces = head + draw(st.permutations(body))
            else:
                at = draw(st.integers(min_value=0, max_value=len(pieces) - 1))
                target = draw(st.integers(min_value=0, max_value=len(pieces)))
                pieces[target:target] = [pieces[at]] * draw(st.integers(1, 3))
            data = bytearray(b"'".join(pieces))
    return bytes(data)


@SETTINGS
@given(st.data())
def test_mutated_messages(corpus_dir: Path, data: st.DataObject) -> None:
    original = data.draw(st.sampled_from(seed_messages(corpus_dir)), label="original")
    guarded_map(data.draw(mutations(original), label="mutated"))


@SETTINGS
@given(
    st.integers(min_value=10**15, max_value=10**16 - 1).map(str),
    st.sampled_from(["FOP+CC::1.00:VI:{}:1227", "FOP+CC::{}", "IFT+4:10::ZZ+CC {}", "LTS+FP {}"]),
    st.booleans(),
)
def test_no_card_number_survives(digits: str, template: str, in_history: bool) -> None:
    card = _luhn_complete(digits[:15])
    segments = ["TIF+ALPHA+BRAVO:A:1", *(["ABI+1:AB+OFFICE"] if in_history else [])]
    segments.append(template.format(card))
    (push,) = guarded_map(pnrgov([["SRC", "RCI+ZZ:ABC123", *segments]]))
    assert card not in repr(push)


def _luhn_complete(body: str) -> str:
    """`body` plus the check digit that makes it pass Luhn."""
    for check in "0123456789":
        digits, total = body + check, 0
        for position, char in enumerate(reversed(digits)):
            number = int(char) * (2 if position % 2 else 1)
            total += number - 9 if number > 9 else number
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


def test_corpus_and_synthetic_seeds_map_cleanly(corpus_dir: Path) -> None:
    for message in seed_messages(corpus_dir):
        assert guarded_map(message)


def test_large_inputs_finish_in_time() -> None:
    many = pnrgov([rich_booking(f"L{n:05d}") for n in range(300)])
    (push,) = guarded_map(many)
    assert len(push.bookings) == 300
    crowd = ["SRC", "RCI+ZZ:BIG001"] + [f"TIF+ALPHA+P{n}:A:{n}" for n in range(3000)]
    crowd += [
        f"SSR+DOCS:HK:1:ZZ:::::/P/FRA/X{n}/FRA/01JAN80/M/01JAN30/ALPHA/P{n}+::{n}"
        for n in range(3000)
    ]
    (push,) = guarded_map(pnrgov([crowd]))
    assert len(push.bookings[0].travellers) == 3000
    names = [a + b for a in "ABCDEFGHIJKLMNOPQRST" for b in "ABCDEFGHIJKLMNO"]  # 300, no refs
    group = ["SRC", "RCI+ZZ:GRP001"] + [f"TIF+ALPHA+{name}:A" for name in names]
    group += [f"SSR+DOCS:HK:1:ZZ:::::/P/FRA/X1/FRA/01JAN80/M/01JAN30/ALPHA/{n}" for n in names]
    (push,) = guarded_map(pnrgov([group]))
    assert all(len(t.documents) == 1 for t in push.bookings[0].travellers)
    history = ["SRC", "RCI+ZZ:HIS001", "ABI+1:AB+OFF"] + ["LTS+" + "X" * 50] * 20000
    (push,) = guarded_map(pnrgov([history]))
    assert len(push.bookings[0].history) == 20000
