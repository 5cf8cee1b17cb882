"""PNRGOV parser throughput, side by side on the same bytes: pydifact vs firstline.

Three contenders per data set, each timed as the best of N runs over the whole set:
- pydifact 0.2.3 `Parser.parse` (tokenising into segments; no semantics);
- firstline's tokenizer, `read_interchange` (decode, wrappers, UNA, segments, messages, counts);
- firstline's full parse: `read_interchange` plus `map_pnrgov` on every message (bookings,
  travellers, SSR resolution, contacts normalised to E.164, card fingerprints, pushed flight).

Data sets: a ~5 MB set of synthetic pushes from bench/pnrgov_synth.py (200 bookings per
file), the same volume as one single push, and the PNRGOV EDIFACT files of the sample corpus
(repeated to give the clock something to measure).

    python bench/pnrgov_bench.py [--mb 5] [--runs 5] [--seed 7] [--corpus DIR] [--profile]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from datetime import date
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from parse_bench import (  # noqa: E402
    DataSet,
    best_of,
    corpus_edifact,
    make_set,
    profile,
    run_pydifact,
    run_tokenizer,
)
from pnrgov_synth import make_pnrgov  # noqa: E402

from firstline.ingest.edifact.envelope import read_interchange  # noqa: E402
from firstline.ingest.options import ParseOptions  # noqa: E402
from firstline.ingest.pnrgov import map_pnrgov  # noqa: E402

OPTIONS = ParseOptions(today=date(2025, 6, 1), card_key=b"bench-key")
REPO = Path(__file__).resolve().parents[1]


def run_full(dataset: DataSet) -> int:
    """Travellers mapped, so the work cannot be optimised away."""
    travellers = 0
    for data in dataset.files:
        interchange = read_interchange(data)
        for message in interchange.messages:
            push = map_pnrgov(message, interchange.source, options=OPTIONS)
            travellers += sum(len(b.travellers) for b in push.bookings)
    return travellers


def synthetic_files(megabytes: float, seed: int, per_file: int = 200) -> list[bytes]:
    files: list[bytes] = []
    while sum(map(len, files)) < megabytes * 1e6:
        files.append(make_pnrgov(per_file, seed + len(files)))
    return files


def synthetic_single(megabytes: float, seed: int) -> list[bytes]:
    per_booking = len(make_pnrgov(500, seed)) / 500
    return [make_pnrgov(int(megabytes * 1e6 / per_booking), seed)]


def report(dataset: DataSet, runs: int) -> float:
    pydifact_s = best_of(runs, run_pydifact, dataset)
    tokenize_s = best_of(runs, run_tokenizer, dataset)
    full_s = best_of(runs, run_full, dataset)
    travellers = run_full(dataset)
    mb = dataset.size / 1e6
    print(
        f"\n{dataset.name}: {len(dataset.files)} file(s), {mb:.2f} MB, "
        f"{dataset.segments:,} segments, {travellers:,} travellers (best of {runs})"
    )
    print(f"  {'':40} {'seconds':>9} {'MB/s':>8} {'segments/s':>12} {'vs pydifact':>12}")
    rows = [
        (f"pydifact {version('pydifact')} Parser.parse", pydifact_s),
        ("firstline tokenizer (read_interchange)", tokenize_s),
        ("firstline full parse (+ map_pnrgov)", full_s),
    ]
    if dataset.pydifact_failures:
        print(f"  (pydifact rejected {dataset.pydifact_failures // runs} file(s) per run)")
    for label, seconds in rows:
        print(
            f"  {label:40} {seconds:9.4f} {mb / seconds:8.2f} "
            f"{dataset.segments / seconds:12,.0f} {pydifact_s / seconds:11.1f}x"
        )
    print(f"  full parse: {travellers / full_s:,.0f} travellers/s")
    return pydifact_s / tokenize_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=5.0, help="size of the synthetic set")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path(os.environ.get("FIRSTLINE_CORPUS", REPO.parent / "shared" / "corpus")),
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the full parse")
    args = parser.parse_args()
    logging.getLogger("pydifact").setLevel(logging.ERROR)  # it warns on every empty element
    warnings.filterwarnings("ignore", module="pydifact")

    datasets = [
        make_set("synthetic PNRGOV, one flight per file", synthetic_files(args.mb, args.seed)),
        make_set("synthetic PNRGOV, one large push", synthetic_single(args.mb, args.seed)),
    ]
    corpus = corpus_edifact(args.corpus, b"PNRGOV") if args.corpus.is_dir() else []
    if corpus:
        datasets.append(make_set("sample corpus, every PNRGOV EDIFACT file", corpus, repeat=200))
    else:
        print(f"(no corpus at {args.corpus}; skipped)")

    print(f"Python {sys.version.split()[0]}, one core; firstline tokenizer target: >= 10x pydifact")
    for dataset in datasets:
        ratio = report(dataset, args.runs)
        verdict = "meets" if ratio >= 10 else "BELOW"
        print(f"  tokenizer is {ratio:.1f}x pydifact: {verdict} the 10x target")
    if args.profile:
        profile(datasets[0], run_full, "firstline full parse")


if __name__ == "__main__":
    main()
