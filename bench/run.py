"""Run every benchmark in one go and print their figures (`make bench`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
POSTGRES = os.environ.get(
    "FIRSTLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def main() -> int:
    runs = [
        [sys.executable, str(HERE / "parse_bench.py")],
        [sys.executable, str(HERE / "ingest_bench.py"), "--postgres", POSTGRES],
        [sys.executable, str(HERE / "pnrgov_bench.py")],
        [sys.executable, str(HERE / "pnr_ingest_bench.py")],
        [sys.executable, str(HERE / "generate_bench.py")],
        [sys.executable, str(HERE / "screening_quality.py")],
        # 1M entries takes a few minutes and about 6 GB: run it alone with --sizes 1000000.
        [sys.executable, str(HERE / "screening_speed.py"), "--sizes", "10000,100000"],
    ]
    for command in runs:
        print(f"\n$ {' '.join(Path(c).name if c.endswith('.py') else c for c in command)}")
        status = subprocess.call(command)
        if status:
            return status
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
