"""Ingest throughput: large synthetic PAXLST files into a fresh store, on one core.

Prints, on the same bytes and in the same run: firstline's full ingest (parse, de-duplicate,
store) into SQLite, firstline's parse alone, and pydifact merely tokenising, as a baseline.
With --postgres URL it also ingests into a fresh PostgreSQL database on that server.

    python bench/ingest_bench.py [--files 20] [--passengers 5000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parent))

from paxlst_synth import write_files  # noqa: E402

from firstline import logs  # noqa: E402
from firstline.ingest.reader import read_message  # noqa: E402
from firstline.services.ingest import ingest_paths  # noqa: E402
from firstline.store import open_store  # noqa: E402


def _pydifact_tokenise(data: list[bytes]) -> float:
    from pydifact.segmentcollection import Interchange

    warnings.filterwarnings("ignore", module="pydifact")
    started = time.perf_counter()
    for raw in data:
        Interchange.from_str(raw.decode("latin-1"))
    return time.perf_counter() - started


def _ingest(url: str, folder: Path) -> tuple[float, int]:
    store = open_store(url)  # schema created before timing starts
    started = time.perf_counter()
    summary = ingest_paths(store, [folder])
    elapsed = time.perf_counter() - started
    store.dispose()
    assert summary.quarantined == 0, summary.quarantine_reasons[:3]
    return elapsed, summary.travellers_added


def _postgres_database(admin_url: str) -> tuple[str, object]:
    name = f"firstline_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return admin_url.rsplit("/", 1)[0] + "/" + name, (admin, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--passengers", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", default=None, help="admin URL of a PostgreSQL server")
    args = parser.parse_args()
    logs.configure(level=40)  # progress events would drown the figures

    work = Path(tempfile.mkdtemp(prefix="firstline-bench-"))
    try:
        folder = work / "inbox"
        write_files(folder, args.files, args.passengers, args.seed)
        data = [p.read_bytes() for p in sorted(folder.iterdir())]
        megabytes = sum(map(len, data)) / 1e6
        travellers = args.files * args.passengers
        print(f"{args.files} PAXLST files, {travellers} passengers, {megabytes:.1f} MB")

        started = time.perf_counter()
        parsed = sum(len(m.travellers) for raw in data for m in read_message(raw).messages)
        parse_s = time.perf_counter() - started
        assert parsed == travellers, (parsed, travellers)

        sqlite_s, added = _ingest(f"sqlite:///{work / 'bench.db'}", folder)
        assert added == travellers
        rows = [
            ("firstline ingest -> SQLite (parse + store)", sqlite_s),
            ("firstline parse only", parse_s),
            ("pydifact 0.2.3 tokenise only (baseline)", _pydifact_tokenise(data)),
        ]
        if args.postgres:
            url, (admin, name) = _postgres_database(args.postgres)
            try:
                rows.insert(1, ("firstline ingest -> PostgreSQL", _ingest(url, folder)[0]))
            finally:
                with admin.connect() as conn:  # type: ignore[attr-defined]
                    conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        print(f"{'':46} {'seconds':>8} {'travellers/s':>13} {'MB/s':>7}")
        for label, seconds in rows:
            print(
                f"{label:46} {seconds:8.2f} {travellers / seconds:13,.0f} "
                f"{megabytes / seconds:7.1f}"
            )
        print("target: 20,000 travellers/s into SQLite on one core")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
