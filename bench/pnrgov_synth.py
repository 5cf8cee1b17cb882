"""Deterministic synthetic PNRGOV EDIFACT (11:1) pushes for benchmarks. Synthetic data only.

A thin wrapper over `firstline.generate.pnrgov`: the same arguments always give the same
bytes. Each booking has 1 to 6 travellers, DOCS for some, contacts, tickets with card (Luhn-valid
test numbers) or cash payments, 1 to 3 legs with code-shares, check-in for some and history
for a few.

    python bench/pnrgov_synth.py OUT_DIR [--files 20] [--bookings 200] [--seed 7]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from firstline.generate.pnrgov import luhn_card, make_pnrgov, write_pnr_files
from firstline.generate.pnrgov_items import pnr_escape as escape

__all__ = ["escape", "luhn_card", "make_pnrgov", "write_pnr_files"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--bookings", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = write_pnr_files(args.out, args.files, args.bookings, args.seed)
    print(f"{len(paths)} files, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
