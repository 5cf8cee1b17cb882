"""Deterministic synthetic PAXLST D05B messages for benchmarks. Synthetic data only.

A thin wrapper over `firstline.generate.paxlst`: the same arguments always give the same
bytes. Names come from several cultures, transliterated to ASCII capitals the way airlines
send them (Ö → OE, Å → AA); a few carry an apostrophe, escaped with the release character.

    python bench/paxlst_synth.py OUT_DIR [--files 20] [--passengers 500] [--seed 7]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from firstline.generate.edifact import escape
from firstline.generate.names import CULTURE_NAMES, CULTURES
from firstline.generate.paxlst import make_paxlst, write_files
from firstline.generate.reference import CITIES, LOCATOR, STREETS, airports

AIRPORTS = {code: airport.country3 for code, airport in airports().items()}

__all__ = [
    "AIRPORTS",
    "CITIES",
    "CULTURES",
    "CULTURE_NAMES",
    "LOCATOR",
    "STREETS",
    "escape",
    "make_paxlst",
    "write_files",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--passengers", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = write_files(args.out, args.files, args.passengers, args.seed)
    print(f"{len(paths)} files, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
