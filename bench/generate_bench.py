"""Generation speed and peak memory of `firstline generate` for 100k and 1M travellers.

Each size runs in its own process so that its peak resident memory is its own. Synthetic
traffic is written to a temporary folder and removed afterwards.

    python bench/generate_bench.py [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

# About 127 travellers per flight at the generator's default sizes (passengers and crew).
TRAVELLERS_PER_FLIGHT = 127


def _one(travellers: int) -> None:
    from firstline.generate import DayPlan, write_day

    flights = max(1, round(travellers / TRAVELLERS_PER_FLIGHT))
    out = Path(tempfile.mkdtemp(prefix="firstline-gen-bench-"))
    try:
        started = time.perf_counter()
        summary = write_day(DayPlan(day=date(2030, 5, 1), flights=flights, seed=1), out)
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(out, ignore_errors=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "travellers": summary.travellers,
                "flights": summary.flights,
                "connections": summary.connections,
                "groups": summary.groups,
                "files": summary.files,
                "megabytes": summary.bytes / 1e6,
                "seconds": seconds,
                "peak_mb": peak_mb,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _one(args.one)
        return
    print(
        f"{'travellers':>11} {'flights':>8} {'files':>7} {'MB':>8} {'seconds':>8} "
        f"{'travellers/s':>13} {'peak MB':>8} {'connecting':>11} {'groups':>7}"
    )
    for size in args.sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = json.loads(output.strip().splitlines()[-1])
        print(
            f"{row['travellers']:>11,} {row['flights']:>8,} {row['files']:>7,} "
            f"{row['megabytes']:>8.0f} {row['seconds']:>8.1f} "
            f"{row['travellers'] / row['seconds']:>13,.0f} {row['peak_mb']:>8.0f} "
            f"{row['connections']:>11,} {row['groups']:>7,}"
        )
    print("target: one million travellers in minutes, with bounded memory")


if __name__ == "__main__":
    main()
