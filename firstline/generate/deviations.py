"""Real-world deviations (FORMATS.md §1.7) injected into written messages at given rates.

Each file draws its deviations from its own generator (seeded with the plan and the file name),
so turning them on changes only the files they touch. What was applied to which file is kept
in a `DeviationLog` and written to `_answers/deviations.json`, so tests can check that ingest
warns where it should, quarantines exactly the broken files and loads every other one.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

# What ingest reports for each deviation: a warning code, "quarantine", or nothing.
EXPECTED = {
    "separators": None,
    "wrong_unt": "unt_count",
    "line_ends_none": None,
    "line_ends_lf": None,
    "stale_header": "header_flight_mismatch",
    "type_b": "teletype_wrapper",
    "broken": "quarantine",
}


@dataclass(frozen=True, slots=True)
class Deviations:
    """Share of files (EDIFACT unless said) that get each deviation; all zero: clean output."""

    separators: float = 0.03  # UNA:*.? $ (element `*`, terminator `$`)
    wrong_unt: float = 0.02  # UNT declares a wrong segment count
    line_ends: float = 0.2  # no line ends, or LF only, instead of CRLF
    stale_header: float = 0.02  # PNR pushes: header TVL of another flight and date
    type_b: float = 0.03  # Type B teletype wrapper around the interchange
    broken: float = 0.005  # any file, XML too: cut off in the middle (must be quarantined)


NONE = Deviations(0, 0, 0, 0, 0, 0)


def scaled(rates: Deviations, factor: float) -> Deviations:
    """Every rate multiplied by `factor` (capped at 1)."""
    values = [min(1.0, getattr(rates, f.name) * factor) for f in fields(rates)]
    return Deviations(*values)


@dataclass(slots=True)
class DeviationLog:
    applied: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, kind: str) -> None:
        self.applied.setdefault(name, []).append(kind)

    def write(self, out: Path) -> None:
        folder = out / "_answers"
        folder.mkdir(parents=True, exist_ok=True)
        document = {
            "expected": EXPECTED,
            "files": {name: self.applied[name] for name in sorted(self.applied)},
        }
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        (folder / "deviations.json").write_text(text, encoding="utf-8")


def file_rng(seed: int, day: str, name: str) -> random.Random:
    return random.Random(f"{seed}:{day}:deviations:{name}")


def deviate(
    data: bytes, name: str, rates: Deviations, rng: random.Random, log: DeviationLog
) -> bytes:
    """`data` with the deviations drawn for file `name` applied (and logged)."""
    edifact = name.endswith(".edi")
    draws = [rng.random() for _ in range(5)]  # always five draws: stable per file
    if edifact:
        if draws[0] < rates.wrong_unt:
            data = _wrong_unt(data, rng)
            log.add(name, "wrong_unt")
        if draws[1] < rates.separators:
            data = _separators(data)
            log.add(name, "separators")
        if draws[2] < rates.line_ends:
            lf = draws[2] < rates.line_ends / 2
            data = data.replace(b"\r\n", b"\n" if lf else b"")
            log.add(name, "line_ends_lf" if lf else "line_ends_none")
        if draws[3] < rates.type_b:
            data = _type_b(data, name, rng)
            log.add(name, "type_b")
    if draws[4] < rates.broken:
        data = _cut(data)
        log.add(name, "broken")
    return data


def _wrong_unt(data: bytes, rng: random.Random) -> bytes:
    """Off by the two envelope segments, by one, or wildly, as seen in the wild."""
    shift = rng.choice([2, 1, -1, 800])

    def wrong(match: re.Match[bytes]) -> bytes:
        return b"UNT+" + str(int(match.group(1)) + shift).encode() + b"+"

    return re.sub(rb"UNT\+(\d+)\+", wrong, data, count=1)


def _separators(data: bytes) -> bytes:
    """Re-render with `UNA:*.? $`: element `*`, terminator `$`, no repetition separator."""
    text = data.decode("ascii")
    body = text[9:] if text.startswith("UNA") else text
    out = ["UNA:*.? $"]
    chars = iter(body)
    for char in chars:
        if char == "?":
            literal = next(chars, "")
            out.append("?" + literal if literal in "?:*$" else literal)
        elif char == "+":
            out.append("*")
        elif char == "'":
            out.append("$")
        elif char in "*$":
            out.append("?" + char)
        else:
            out.append(char)
    return "".join(out).encode("ascii")


def _type_b(data: bytes, name: str, rng: random.Random) -> bytes:
    """SOH, address line, `.ORIGIN DDHHMM`, STX ... ETX around the interchange."""
    carrier = name.split("_")[1][:2]
    sent = name.split("_")[0]  # YYYYMMDDTHHMM
    address = rng.choice(["QU", "QK", "QD"]) + " " + rng.choice(["GOVPIXS", "APIGVXS", "PNRGVXS"])
    origin = f".{carrier}{rng.choice(['HDQ', 'APS', 'RES'])}XS {sent[6:8]}{sent[9:13]}"
    head = f"\x01{address}\r\n{origin}\r\n\x02".encode("ascii")
    return head + data + b"\x03"


def _cut(data: bytes) -> bytes:
    """Cut in the middle of a segment (or an XML token): the rest of the transfer is lost."""
    cut = len(data) // 2
    while cut > 1 and not data[cut - 1 : cut].isalnum():
        cut -= 1
    return data[:cut]
