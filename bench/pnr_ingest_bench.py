"""PNR ingest throughput: synthetic PNRGOV pushes into a fresh SQLite store, on one core.

Prints, on the same bytes and in the same run: firstline's full ingest (parse, sensitive-data
filter, bookings, travellers) into SQLite, firstline's parse alone, and pydifact merely
tokenising as a baseline. Then a second round: the same flights pushed again with changed
bookings (what T-24 after T-72 looks like), which exercises updates and change records.

    python bench/pnr_ingest_bench.py [--files 20] [--bookings 300]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from pnrgov_synth import write_pnr_files  # noqa: E402

from firstline import logs  # noqa: E402
from firstline.ingest.reader import read_message  # noqa: E402
from firstline.services.ingest import ingest_paths  # noqa: E402
from firstline.store import open_store  # noqa: E402


def _pydifact(data: list[bytes]) -> float:
    from pydifact.segmentcollection import Interchange

    warnings.filterwarnings("ignore", module="pydifact")
    started = time.perf_counter()
    for raw in data:
        Interchange.from_str(raw.decode("latin-1"))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--bookings", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    logs.configure(level=40)

    work = Path(tempfile.mkdtemp(prefix="firstline-pnr-bench-"))
    try:
        first, second = work / "t72", work / "t24"
        write_pnr_files(first, args.files, args.bookings, args.seed)
        data = [p.read_bytes() for p in sorted(first.iterdir())]
        # The later push of the same flights: every booking touched again (a newer DAT+700),
        # so each is found, compared section by section and rewritten.
        second.mkdir()
        for n, raw in enumerate(data):
            later = re.sub(rb"DAT\+700:(\d{6}):\d{4}", rb"DAT+700:\1:2359", raw)
            (second / f"push_{n:04d}.edi").write_bytes(later)
        megabytes = sum(map(len, data)) / 1e6

        started = time.perf_counter()
        travellers = 0
        for raw in data:
            for push in read_message(raw).pushes:
                travellers += sum(len(b.travellers) for b in push.bookings)
        parse_s = time.perf_counter() - started
        print(f"{args.files} PNRGOV pushes, {travellers} travellers, {megabytes:.1f} MB")

        store = open_store(f"sqlite:///{work / 'bench.db'}")
        started = time.perf_counter()
        summary = ingest_paths(store, [first])
        ingest_s = time.perf_counter() - started
        assert summary.quarantined == 0, summary.quarantine_reasons[:3]
        started = time.perf_counter()
        ingest_paths(store, [second])
        again_s = time.perf_counter() - started
        store.dispose()

        rows = [
            ("firstline ingest -> SQLite (new bookings)", ingest_s, summary.travellers_added),
            ("firstline ingest -> SQLite (second push)", again_s, travellers),
            ("firstline parse only", parse_s, travellers),
            ("pydifact 0.2.3 tokenise only (baseline)", _pydifact(data), travellers),
        ]
        print(f"{'':44} {'seconds':>8} {'travellers/s':>13}")
        for label, seconds, count in rows:
            print(f"{label:44} {seconds:8.2f} {count / seconds:13,.0f}")
        print("target: 10,000 travellers/s into SQLite on one core")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
