"""Parser throughput, side by side on the same bytes: pydifact vs firstline.

Three contenders per data set, each timed as the best of N runs over the whole set:
- pydifact 0.2.3 `Parser.parse` (tokenising into segments; no UNH..UNT split, no semantics);
- firstline's tokenizer, `read_interchange` (decode, wrappers, UNA, segments, messages, counts);
- firstline's full parse, `read_message` (all of the above plus the PAXLST mapping).

Data sets: a ~5 MB set of synthetic PAXLST files from bench/paxlst_synth.py, the same volume as
one single multi-part interchange, and every PAXLST in the sample corpus (file by file, as
ingest reads them; the set is repeated to give the clock something to measure). pydifact does
not guess terminators, so it is given the separators firstline detects for files without UNA.

    python bench/parse_bench.py [--mb 5] [--runs 5] [--seed 7] [--corpus DIR] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from paxlst_synth import make_paxlst  # noqa: E402
from pydifact.control import Characters  # noqa: E402
from pydifact.exceptions import EDISyntaxError  # noqa: E402
from pydifact.parser import Parser  # noqa: E402

from firstline.ingest.edifact import service  # noqa: E402
from firstline.ingest.edifact.envelope import decode, read_interchange, strip_wrappers  # noqa: E402
from firstline.ingest.edifact.lexer import tokenize  # noqa: E402
from firstline.ingest.reader import read_message  # noqa: E402

TODAY = date(2025, 6, 1)
REPO = Path(__file__).resolve().parents[1]


@dataclass
class DataSet:
    name: str
    files: list[bytes]
    texts: list[tuple[str, Characters | None]]  # what pydifact is given, decoded beforehand
    segments: int  # as counted by firstline's tokenizer, the reference for every row
    pydifact_failures: int = 0

    @property
    def size(self) -> int:
        return sum(map(len, self.files))


def pydifact_input(data: bytes) -> tuple[str, Characters | None]:
    """The decoded text and, when there is no UNA, the separators firstline would use."""
    text, _ = strip_wrappers(decode(data))
    if text.startswith("UNA"):
        return text, None
    chars, _, _ = service.detect(text)
    return text, Characters(
        component_separator=chars.component,
        data_separator=chars.element,
        decimal_point=chars.decimal,
        escape_character=chars.release or "?",
        reserved=chars.repetition or " ",
        segment_terminator=chars.terminator,
    )


def count_segments(data: bytes) -> int:
    """Segments UNB..UNZ (UNA not counted), as firstline's lexer finds them."""
    text, _ = strip_wrappers(decode(data))
    chars, start, _ = service.detect(text)
    return len(tokenize(text, chars, start))


def make_set(name: str, files: list[bytes], repeat: int = 1) -> DataSet:
    files = files * repeat
    segments = sum(map(count_segments, files))
    return DataSet(name, files, [pydifact_input(data) for data in files], segments)


def run_pydifact(dataset: DataSet) -> int:
    """Segments pydifact yields; a file it rejects counts what it yielded before failing."""
    parser = Parser()
    count = 0
    for text, chars in dataset.texts:
        try:
            for _ in parser.parse(text, characters=chars):
                count += 1
        except EDISyntaxError:
            dataset.pydifact_failures += 1
    return count


def run_tokenizer(dataset: DataSet) -> int:
    return sum(len(read_interchange(data).messages) for data in dataset.files)


def run_full(dataset: DataSet) -> int:
    return sum(
        len(m.travellers)
        for data in dataset.files
        for m in read_message(data, today=TODAY).messages
    )


def best_of(runs: int, work: Callable[[DataSet], int], dataset: DataSet) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work(dataset)
        best = min(best, time.perf_counter() - started)
    return best


def synthetic_files(megabytes: float, seed: int, per_file: int = 500) -> list[bytes]:
    files: list[bytes] = []
    while sum(map(len, files)) < megabytes * 1e6:
        files.append(make_paxlst(per_file, seed + len(files)))
    return files


def synthetic_single(megabytes: float, seed: int) -> list[bytes]:
    per_passenger = len(make_paxlst(1000, seed)) / 1000
    passengers = int(megabytes * 1e6 / per_passenger)
    return [make_paxlst(passengers, seed, parts_of=2000)]


def corpus_edifact(folder: Path, message_type: bytes) -> list[bytes]:
    """The corpus's EDIFACT files that carry `message_type` (XML and the index left out)."""
    files = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name == "INDEX.md":
            continue
        data = path.read_bytes()
        if message_type in data and not data.lstrip().startswith(b"<"):
            files.append(data)
    return files


def report(dataset: DataSet, runs: int) -> float:
    pydifact_s = best_of(runs, run_pydifact, dataset)
    tokenize_s = best_of(runs, run_tokenizer, dataset)
    full_s = best_of(runs, run_full, dataset)
    mb = dataset.size / 1e6
    print(
        f"\n{dataset.name}: {len(dataset.files)} file(s), {mb:.2f} MB, "
        f"{dataset.segments:,} segments (best of {runs})"
    )
    print(f"  {'':34} {'seconds':>9} {'MB/s':>8} {'segments/s':>12} {'vs pydifact':>12}")
    rows = [
        (f"pydifact {version('pydifact')} Parser.parse", pydifact_s),
        ("firstline tokenizer (read_interchange)", tokenize_s),
        ("firstline full parse (read_message)", full_s),
    ]
    if dataset.pydifact_failures:
        print(f"  (pydifact rejected {dataset.pydifact_failures // runs} file(s) per run)")
    for label, seconds in rows:
        ratio = pydifact_s / seconds
        print(
            f"  {label:34} {seconds:9.4f} {mb / seconds:8.2f} "
            f"{dataset.segments / seconds:12,.0f} {ratio:11.1f}x"
        )
    return pydifact_s / tokenize_s


def profile(dataset: DataSet, work: Callable[[DataSet], int], label: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    work(dataset)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    print(f"\n--- profile: {label} on {dataset.name} ---")
    print(out.getvalue())


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
    parser.add_argument("--profile", action="store_true", help="cProfile the firstline runs")
    args = parser.parse_args()
    logging.getLogger("pydifact").setLevel(logging.ERROR)  # it warns on every empty element
    warnings.filterwarnings("ignore", module="pydifact")  # and on every missing directory

    datasets = [
        make_set("synthetic PAXLST, one flight per file", synthetic_files(args.mb, args.seed)),
        make_set(
            "synthetic PAXLST, one multi-part interchange", synthetic_single(args.mb, args.seed)
        ),
    ]
    corpus = corpus_edifact(args.corpus, b"PAXLST") if args.corpus.is_dir() else []
    if corpus:
        datasets.append(make_set("sample corpus, every PAXLST file", corpus, repeat=50))
    else:
        print(f"(no corpus at {args.corpus}; skipped)")

    print(f"Python {sys.version.split()[0]}, one core; firstline tokenizer target: >= 10x pydifact")
    for dataset in datasets:
        ratio = report(dataset, args.runs)
        verdict = "meets" if ratio >= 10 else "BELOW"
        print(f"  tokenizer is {ratio:.1f}x pydifact: {verdict} the 10x target")
    if args.profile:
        profile(datasets[0], run_tokenizer, "firstline tokenizer")
        profile(datasets[0], run_full, "firstline full parse")


if __name__ == "__main__":
    main()
