"""Screening speed: throughput, latency, index build time and memory at 10k, 100k and 1M entries.

Lists are the real UN consolidated list grown with synthetic persons (`synthetic_lists.py`);
travellers are the yente negatives (the half not used to make list names) with 2 % perturbed
listed persons mixed in, so that some queries really hit and go through stage 3.

Per list size, in a fresh forked process (so that one size's memory does not blur the next):
index build time, RSS growth of the process for the index (VmRSS before/after, and the peak
during the build), `CandidateIndex.stats`, a warm-up pass, stage-1/stage-2 candidate counts on a
sample, then throughput with 1 and 2 worker processes forked after the build (copy-on-write
sharing of the index), p50/p99 latency per `screen` call, and two brute-force baselines on a
sample: rapidfuzz `cdist` token_sort_ratio against every primary name (2 workers) and a
GTAS-style pass over every list record (DOB year within 3, Jaro-Winkler >= 0.95 and equal Double
Metaphone; one core, as GTAS scores per thread).

    .venv/bin/python bench/screening_speed.py --quick
    .venv/bin/python bench/screening_speed.py --sizes 10000,100000,1000000 --save
    .venv/bin/python bench/screening_speed.py --profile 100000 --queries 3000
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import gc
import json
import multiprocessing as mp
import os
import platform
import pstats
import sys
import time
from array import array
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from anyascii import anyascii
from metaphone import doublemetaphone
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

sys.path.insert(0, str(Path(__file__).parent))

from synthetic_lists import (  # noqa: E402
    SyntheticPersons,
    list_triples,
    load_negatives,
    split_negatives,
    traveller_queries,
    un_entries,
)

from firstline.model.watchlist import ListedDate, NameKind  # noqa: E402
from firstline.screening.matcher import Matcher, Query  # noqa: E402
from firstline.services.screening import DEFAULT_THRESHOLD  # noqa: E402

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "screening_speed.json"
TARGET_QPS = 5000
TARGET_INDEX_MB = 4096
TARGET_SIZE = 1_000_000
# Screening as in the flow: only matches at or above the alert threshold are wanted, which lets
# the matcher skip aligning names that facts make unreachable. --min-score 0 asks for every
# candidate's score, as `firstline screen` does (the cost of the full alignment).
MIN_SCORE = DEFAULT_THRESHOLD


# -- process memory ---------------------------------------------------------------------------


def _status(field: str) -> int:
    """A /proc/self/status figure in kB (VmRSS, VmHWM)."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _private_dirty_kb() -> int:
    """Pages this process wrote to (its own copies after a fork), from smaps_rollup."""
    try:
        with open("/proc/self/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Private_Dirty:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# -- helpers ----------------------------------------------------------------------------------


def _pct(values: np.ndarray, q: float) -> float:
    return float(np.percentile(values, q)) if len(values) else float("nan")


def _query_text(query: Query) -> str:
    return anyascii(" ".join(x for x in (query.given, query.family, query.name) if x)).lower()


def _run_slice(matcher: Matcher, queries: list[Query], conn: Any) -> None:
    """Worker: screen a slice, send back latencies, wall time, memory and top scores."""
    latencies = array("q")
    tops = array("d")
    start = time.perf_counter_ns()
    for query in queries:
        t0 = time.perf_counter_ns()
        matches = matcher.screen(query, top=10, min_score=MIN_SCORE)
        latencies.append(time.perf_counter_ns() - t0)
        tops.append(matches[0].score if matches else 0.0)
    wall = time.perf_counter_ns() - start
    conn.send((latencies.tobytes(), tops.tobytes(), wall, _status("VmRSS"), _private_dirty_kb()))
    conn.close()


def _forked_run(matcher: Matcher, queries: list[Query], workers: int) -> dict[str, Any]:
    """Split `queries` over `workers` processes forked now (the index is shared copy-on-write)."""
    ctx = mp.get_context("fork")
    chunk = (len(queries) + workers - 1) // workers
    procs, pipes = [], []
    start = time.perf_counter_ns()
    for w in range(workers):
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=_run_slice, args=(matcher, queries[w * chunk : (w + 1) * chunk], child)
        )
        proc.start()
        child.close()
        procs.append(proc)
        pipes.append(parent)
    results = [p.recv() for p in pipes]
    wall = time.perf_counter_ns() - start
    for proc in procs:
        proc.join()
    latencies = np.concatenate([np.frombuffer(r[0], dtype=np.int64) for r in results]) / 1e6
    tops = np.concatenate([np.frombuffer(r[1], dtype=np.float64) for r in results])
    return {
        "workers": workers,
        "queries": len(queries),
        "wall_s": wall / 1e9,
        "qps": len(queries) / (wall / 1e9),
        "qps_worker_walls": len(queries) / (max(r[2] for r in results) / 1e9),
        "p50_ms": _pct(latencies, 50),
        "p90_ms": _pct(latencies, 90),
        "p99_ms": _pct(latencies, 99),
        "max_ms": float(latencies.max()) if len(latencies) else float("nan"),
        "worker_rss_mb": [round(r[3] / 1024, 1) for r in results],
        "worker_private_dirty_mb": [round(r[4] / 1024, 1) for r in results],
        "tops": tops,
    }


# -- baselines --------------------------------------------------------------------------------


def _brute_force_cdist(names: list[str], queries: list[Query], budget_s: float) -> dict[str, Any]:
    """rapidfuzz token_sort_ratio of every query against every primary name, 2 workers."""
    done = 0
    start = time.perf_counter()
    for at in range(0, len(queries), 25):
        texts = [_query_text(q) for q in queries[at : at + 25]]
        scores = process.cdist(
            texts, names, scorer=fuzz.token_sort_ratio, score_cutoff=80, dtype=np.uint8, workers=2
        )
        # Top 10 per query, as a screening would keep.
        np.argpartition(-scores.astype(np.int16), min(10, scores.shape[1] - 1), axis=1)
        done += len(texts)
        if time.perf_counter() - start > budget_s:
            break
    elapsed = time.perf_counter() - start
    return {"queries": done, "seconds": elapsed, "qps": done / elapsed}


def _gtas_records(matcher: Matcher) -> list[tuple[str, tuple[str, ...], tuple[int, ...], tuple]]:
    """(full name, metaphones, birth years, exact dates) per person record, GTAS-style."""
    index = matcher.index
    records = []
    seen: set[int] = set()
    for name_no, subject_no in enumerate(index.name_subject):
        if subject_no in seen or index.name_kind[name_no] is not NameKind.PRIMARY:
            continue
        seen.add(subject_no)
        subject = index.subjects[subject_no]
        if subject.schema != "person":
            continue
        full = anyascii(index.name_text[name_no]).upper()
        metaphones = tuple(sorted(doublemetaphone(t)[0] for t in full.split()))
        years = tuple(y for d in subject.birth_dates for y in range(d.year, d.last_year + 1))
        exact = tuple((d.year, d.month, d.day) for d in subject.birth_dates if d.day)
        records.append((full, metaphones, years, exact))
    return records


def _gtas_screen(query: Query, records: list) -> int:
    full = anyascii(" ".join(x for x in (query.given, query.family) if x)).upper()
    metaphones = tuple(sorted(doublemetaphone(t)[0] for t in full.split()))
    birth = query.birth_date
    year = birth.year if isinstance(birth, (date, ListedDate)) else None
    exact = (birth.year, birth.month, birth.day) if isinstance(birth, date) else None
    jw = JaroWinkler.normalized_similarity
    hits = 0
    for name, codes, years, dates in records:  # every list record, every passenger
        if year is not None and years and all(abs(y - year) > 3 for y in years):
            continue
        if jw(full, name) >= 0.95 and (codes == metaphones or (exact and exact in dates)):
            hits += 1
    return hits


def _gtas(matcher: Matcher, queries: list[Query], budget_s: float) -> dict[str, Any]:
    t0 = time.perf_counter()
    records = _gtas_records(matcher)
    prepare = time.perf_counter() - t0
    done = 0
    start = time.perf_counter()
    for query in queries:
        _gtas_screen(query, records)
        done += 1
        if time.perf_counter() - start > budget_s:
            break
    elapsed = time.perf_counter() - start
    return {
        "records": len(records),
        "prepare_s": prepare,
        "queries": done,
        "seconds": elapsed,
        "qps": done / elapsed,
    }


# -- one size ---------------------------------------------------------------------------------


def measure_size(size: int, ctx: dict[str, Any], opts: argparse.Namespace) -> dict[str, Any]:
    un, synthetic, warmup, queries, hits = (
        ctx["un"],
        ctx["synthetic"],
        ctx["warmup"],
        ctx["queries"],
        ctx["hits"],
    )
    out: dict[str, Any] = {"size": size, "load_before": _loadavg()}
    gc.collect()
    rss0 = _status("VmRSS")
    peak_ok = _reset_peak()
    t0 = time.perf_counter()
    matcher = Matcher.from_entries(list_triples(un, synthetic, size))
    out["build_s"] = time.perf_counter() - t0
    gc.collect()
    rss1 = _status("VmRSS")
    out["index_mb"] = (rss1 - rss0) / 1024
    out["build_peak_mb"] = (_status("VmHWM") - rss0) / 1024 if peak_ok else None
    out["process_rss_mb"] = rss1 / 1024
    out["stats"] = dataclasses.asdict(matcher.index.stats)
    print(
        f"  [{size:,}] built in {out['build_s']:.1f} s, index +{out['index_mb']:.0f} MB "
        f"(peak +{out['build_peak_mb'] or 0:.0f} MB), {out['stats']}",
        flush=True,
    )

    # Warm-up: other queries, so caches hold what any traffic would put there.
    t0 = time.perf_counter()
    for query in warmup:
        matcher.screen(query, top=10, min_score=MIN_SCORE)
    out["warmup_s"] = time.perf_counter() - t0
    out["warmup_qps"] = len(warmup) / out["warmup_s"] if warmup else None

    # Candidate counts (stage 1 returns at most 200; stage 2 keeps at most 12 for stage 3).
    stage1, stage3 = [], []
    for query in queries[: opts.candidate_sample]:
        parts, _ = query.parts()
        if not parts:
            continue
        ids = matcher.index.candidates(parts).names
        stage1.append(len(ids))
        stage3.append(len(matcher._stage2(parts)))
    s1, s3 = np.array(stage1), np.array(stage3)
    out["stage1_mean"], out["stage1_p99"] = float(s1.mean()), _pct(s1, 99)
    out["stage3_mean"], out["stage3_p99"] = float(s3.mean()), _pct(s3, 99)

    gc.freeze()  # keep the collector from touching (and copying) the shared heap in workers
    runs = {}
    for workers in opts.workers:
        run = _forked_run(matcher, queries, workers)
        tops = run.pop("tops")
        hit_mask = np.array(hits, dtype=bool)
        run["hits_top_ge_0.8"] = float((tops[hit_mask] >= 0.8).mean()) if hit_mask.any() else None
        run["negatives_top_ge_0.8"] = float((tops[~hit_mask] >= 0.8).mean())
        runs[workers] = run
        print(
            f"  [{size:,}] {workers} worker(s): {run['qps']:,.0f} q/s, p50 {run['p50_ms']:.2f} ms, "
            f"p99 {run['p99_ms']:.2f} ms, worker RSS {run['worker_rss_mb']} MB, "
            f"private dirty {run['worker_private_dirty_mb']} MB (load {_loadavg()})",
            flush=True,
        )
    gc.unfreeze()
    out["runs"] = runs

    # Baselines.
    index = matcher.index
    primaries = [
        anyascii(index.name_text[i]).lower()
        for i in range(len(index.name_text))
        if index.name_kind[i] is NameKind.PRIMARY
    ]
    sample = queries[: opts.brute_sample if size < 1_000_000 else opts.brute_sample // 2]
    out["brute_force"] = _brute_force_cdist(primaries, sample, opts.brute_budget)
    out["brute_force"]["names"] = len(primaries)
    del primaries
    gtas_sample = max(3, opts.gtas_sample * 10_000 // max(size, 10_000))
    out["gtas"] = _gtas(matcher, queries[:gtas_sample], opts.gtas_budget)
    print(
        f"  [{size:,}] brute force {out['brute_force']['qps']:,.1f} q/s "
        f"({out['brute_force']['queries']} queries), GTAS-style {out['gtas']['qps']:.2f} q/s "
        f"({out['gtas']['queries']} queries)",
        flush=True,
    )
    out["load_after"] = _loadavg()
    return out


def _size_child(size: int, ctx: dict[str, Any], opts: argparse.Namespace, conn: Any) -> None:
    try:
        conn.send(measure_size(size, ctx, opts))
    except BaseException as exc:  # noqa: BLE001 - report, do not hang the parent
        import traceback

        conn.send({"size": size, "error": f"{exc!r}\n{traceback.format_exc()}"})
    conn.close()


# -- profile ----------------------------------------------------------------------------------


def profile(size: int, ctx: dict[str, Any], count: int) -> None:
    print(f"\n== cProfile: build at {size:,} entries ==")
    prof = cProfile.Profile()
    prof.enable()
    matcher = Matcher.from_entries(list_triples(ctx["un"], ctx["synthetic"], size))
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(30)
    queries = ctx["queries"][:count]
    for query in ctx["warmup"]:
        matcher.screen(query, top=10, min_score=MIN_SCORE)
    gc.collect()
    gc.freeze()  # as in the timed runs: the collector would otherwise rescan the index
    print(f"\n== cProfile: {len(queries):,} queries at {size:,} entries (after warm-up) ==")
    prof = cProfile.Profile()
    prof.enable()
    for query in queries:
        matcher.screen(query, top=10, min_score=MIN_SCORE)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(30)


# -- report -----------------------------------------------------------------------------------


def _table(results: list[dict[str, Any]], workers: list[int]) -> str:
    head = ["size", "build s", "index MB", "peak MB", "names", "vocab"]
    head += [f"q/s {w}c" for w in workers]
    head += ["p50 ms", "p99 ms", "st3 mean/p99", "brute q/s", "GTAS q/s"]
    rows = [head]
    for r in results:
        if "error" in r:
            rows.append([f"{r['size']:,}", "ERROR"] + [""] * (len(head) - 2))
            continue
        one = r["runs"].get(1) or next(iter(r["runs"].values()))
        row = [
            f"{r['size']:,}",
            f"{r['build_s']:.1f}",
            f"{r['index_mb']:,.0f}",
            f"{r['build_peak_mb']:,.0f}" if r["build_peak_mb"] is not None else "?",
            f"{r['stats']['names']:,}",
            f"{r['stats']['vocabulary']:,}",
        ]
        row += [f"{r['runs'][w]['qps']:,.0f}" if w in r["runs"] else "-" for w in workers]
        row += [
            f"{one['p50_ms']:.2f}",
            f"{one['p99_ms']:.2f}",
            f"{r['stage3_mean']:.1f}/{r['stage3_p99']:.0f}",
            f"{r['brute_force']['qps']:,.1f}",
            f"{r['gtas']['qps']:.2f}",
        ]
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _target_line(results: list[dict[str, Any]]) -> str:
    at = next((r for r in results if r["size"] == TARGET_SIZE and "error" not in r), None)
    if at is None:
        return "target: 5,000 travellers/s on 2 cores at 1M, index < 4 GB: not measured (no 1M run)"
    qps = at["runs"].get(2, {}).get("qps")
    if qps is None:
        return "target: 5,000 travellers/s on 2 cores at 1M: not measured (no 2-worker run)"
    ok_qps, ok_mem = qps >= TARGET_QPS, at["index_mb"] < TARGET_INDEX_MB
    return (
        f"target: 5,000 travellers/s on 2 cores at 1M, index < 4 GB: "
        f"{'met' if ok_qps and ok_mem else 'not met'} "
        f"({qps:,.0f} travellers/s {'>=' if ok_qps else '<'} 5,000; "
        f"index {at['index_mb']:,.0f} MB {'<' if ok_mem else '>='} 4,096 MB)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=20000)
    parser.add_argument("--warmup", type=int, default=1000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--brute-sample", type=int, default=200)
    parser.add_argument("--brute-budget", type=float, default=60.0)
    parser.add_argument("--gtas-sample", type=int, default=50)
    parser.add_argument("--gtas-budget", type=float, default=30.0)
    parser.add_argument("--candidate-sample", type=int, default=1000)
    parser.add_argument("--hit-share", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=20260227)
    parser.add_argument(
        "--min-score",
        type=float,
        default=DEFAULT_THRESHOLD,
        help="matches wanted (default: the flow's alert threshold; 0 = every score)",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, few queries")
    parser.add_argument("--profile", type=int, metavar="SIZE", help="cProfile build + queries")
    parser.add_argument("--save", action="store_true", help=f"write {RESULTS}")
    opts = parser.parse_args(argv)
    if opts.quick:
        opts.sizes, opts.queries, opts.warmup = "3000,10000", 2000, 200
        opts.brute_sample, opts.gtas_sample, opts.candidate_sample = 50, 10, 200
    sizes = [int(s) for s in opts.sizes.split(",") if s]
    global MIN_SCORE
    MIN_SCORE = opts.min_score
    opts.workers = [int(w) for w in opts.workers.split(",") if w]

    t0 = time.perf_counter()
    rows = load_negatives()
    query_rows, pool_rows = split_negatives(rows)
    un = un_entries()
    synthetic = SyntheticPersons(pool_rows, seed=opts.seed)
    # Listed persons a perturbed query may stand for: the UN list and the synthetic entries
    # every size contains.
    in_every = max(min(sizes) - len(un), 0)
    hit_sources = un + list(synthetic.stream(min(in_every, 5000)))
    warmup_rows = query_rows[-opts.warmup :] if opts.warmup else []
    warmup, _ = traveller_queries(warmup_rows, [], len(warmup_rows), hit_share=0.0)
    queries, hits = traveller_queries(
        query_rows[: len(query_rows) - opts.warmup],
        hit_sources,
        opts.queries,
        hit_share=opts.hit_share,
        seed=opts.seed,
    )
    del hit_sources
    ctx = {"un": un, "synthetic": synthetic, "warmup": warmup, "queries": queries, "hits": hits}
    print(
        f"screening speed: {len(un):,} UN entries + synthetic persons; {len(queries):,} queries "
        f"({sum(hits):,} perturbed listed persons), {len(warmup):,} warm-up; "
        f"min score {MIN_SCORE}; cpus {os.cpu_count()}, load {_loadavg()}; "
        f"prepared in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )

    if opts.profile:
        profile(opts.profile, ctx, opts.queries)
        return 0

    results = []
    fork = mp.get_context("fork")
    for size in sizes:
        parent, child = fork.Pipe(duplex=False)
        proc = fork.Process(target=_size_child, args=(size, ctx, opts, child))
        proc.start()
        child.close()
        try:
            result = parent.recv()
        except EOFError:
            result = {"size": size, "error": f"worker died (exit code {proc.exitcode})"}
        proc.join()
        if "error" in result:
            print(f"  [{size:,}] ERROR: {result['error']}", flush=True)
        results.append(result)

    print()
    print(_table(results, opts.workers))
    print()
    for r in results:
        if "error" in r:
            continue
        bf, gt = r["brute_force"], r["gtas"]
        print(
            f"{r['size']:>9,}: warm-up {r['warmup_qps'] or 0:,.0f} q/s; stage 1 candidates "
            f"mean {r['stage1_mean']:.0f} p99 {r['stage1_p99']:.0f}; brute force "
            f"{bf['queries']} queries x {bf['names']:,} names in {bf['seconds']:.1f} s; "
            f"GTAS-style {gt['queries']} queries x {gt['records']:,} records in "
            f"{gt['seconds']:.1f} s; load {r['load_before']} -> {r['load_after']}"
        )
    print()
    print(_target_line(results))
    print(
        "notes: q/s N c = queries / wall time with N worker processes forked after the build "
        "(copy-on-write), wall time includes the forks; p50/p99 from the 1-worker run; "
        "index MB = process RSS growth over the build (peak = VmHWM growth); st3 = names "
        "reaching stage 3 per query; brute = rapidfuzz cdist token_sort_ratio vs every "
        "primary name, 2 workers; GTAS = per-record JW>=0.95 + Double Metaphone, 1 core."
    )
    if opts.save:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "generated": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "argv": sys.argv[1:],
            "min_score": MIN_SCORE,
            "results": results,
            "target": _target_line(results),
        }
        RESULTS.write_text(json.dumps(payload, indent=2, default=str) + "\n")
        print(f"saved {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
