"""Link graph: build time for one million travellers and 2-hop neighbourhood latency.

Travellers are synthetic and shaped like booking data: bookings of 1-6 people (mostly 1-2),
one phone per booking (families and colleagues sometimes reuse one across bookings), an e-mail
on 40 % of bookings, a card on 80 % (a card sometimes pays several bookings), one document per
traveller, and a few hundred agency phones and call-centre e-mails shared by thousands (which
the graph must damp). Baseline in the same run: the same walk with the damping switched off,
as a graph without it would do.

A second part times the analyst page's network picture on a real store: a generated day
ingested into SQLite (`--store-flights`), `links.network_picture` (a scoped walk, loading
only the flights and sharers it needs) against `links.network` (the whole-store graph).

Run: python bench/graph_bench.py [--travellers 1000000] [--queries 2000] [--store-flights 40]
"""

from __future__ import annotations

import argparse
import logging
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from firstline.graph.network import LinkGraph
from firstline.graph.pivots import Pivot


def synthetic(
    travellers: int, seed: int = 5
) -> tuple[list[tuple[int, Pivot]], list[tuple[int, int]]]:  # noqa: E501
    rng = random.Random(seed)
    pivots: list[tuple[int, Pivot]] = []
    bookings: list[tuple[int, int]] = []
    agencies = [Pivot("phone", f"+4969{n:07d}") for n in range(300)]
    centres = [Pivot("email", f"desk{n}@agency{n % 40}.example") for n in range(100)]
    traveller = booking = 0
    recent_phones: list[Pivot] = []
    recent_cards: list[Pivot] = []
    while traveller < travellers:
        booking += 1
        size = rng.choices([1, 2, 3, 4, 5, 6], weights=[55, 25, 9, 6, 3, 2])[0]
        if recent_phones and rng.random() < 0.03:
            phone = rng.choice(recent_phones)  # the same family or office books again
        elif rng.random() < 0.15:
            phone = rng.choice(agencies)  # booked through an agency: its desk phone
        else:
            phone = Pivot("phone", f"+44{rng.randrange(10**9, 10**10)}")
            recent_phones = (recent_phones + [phone])[-5000:]
        shared: list[Pivot] = [phone]
        if rng.random() < 0.4:
            shared.append(
                rng.choice(centres)
                if rng.random() < 0.1
                else Pivot("email", f"p{booking}@mail{booking % 97}.example")
            )
        if rng.random() < 0.8:
            if recent_cards and rng.random() < 0.02:
                card = rng.choice(recent_cards)
            else:
                card = Pivot("card", f"{rng.getrandbits(128):032x}")
                recent_cards = (recent_cards + [card])[-5000:]
            shared.append(card)
        for _ in range(size):
            traveller += 1
            bookings.append((traveller, booking))
            pivots.extend((traveller, p) for p in shared)
            pivots.append((traveller, Pivot("document", f"XX:{rng.getrandbits(40):010x}")))
    return pivots, bookings


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def latencies(graph: LinkGraph, queries: list[int], hops: int) -> list[float]:
    out = []
    for traveller in queries:
        started = time.perf_counter()
        graph.neighbourhood(traveller, hops)
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--travellers", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--store-flights", type=int, default=0, help="also time the picture")
    args = parser.parse_args()
    started = time.perf_counter()
    pivots, bookings = synthetic(args.travellers)
    made = time.perf_counter()
    before = rss_mb()
    graph = LinkGraph.build(pivots, bookings, common_cap=25)
    built = time.perf_counter()
    print(
        f"{args.travellers:,} travellers, {len(pivots):,} traveller-identifier pairs, "
        f"{len(graph.holders):,} identifiers, {len(graph.members):,} bookings "
        f"(synthesised in {made - started:.1f} s)"
    )
    print(
        f"build: {built - made:.1f} s (target < 60 s); peak RSS {rss_mb():,.0f} MB "
        f"({rss_mb() - before:,.0f} MB for the graph)"
    )
    print(f"damped identifiers: {len(graph.common_pivots()):,} (held by more than 25 travellers)")
    rng = random.Random(9)
    queries = [rng.randrange(1, args.travellers + 1) for _ in range(args.queries)]
    for hops in (1, 2):
        times = latencies(graph, queries, hops)
        cut = statistics.quantiles(times, n=100)
        print(
            f"{hops}-hop neighbourhood: p50 {cut[49]:.3f} ms, p99 {cut[98]:.3f} ms, "
            f"max {max(times):.1f} ms"
        )
    undamped = LinkGraph(
        common_cap=10**9,
        pivots_of=graph.pivots_of,
        holders=graph.holders,
        booking_of=graph.booking_of,
        members=graph.members,
    )
    times = latencies(undamped, queries[:200], 2)
    cut = statistics.quantiles(times, n=100)
    print(
        f"baseline without damping, 2 hops (200 queries): p50 {cut[49]:.1f} ms, "
        f"p99 {cut[98]:.1f} ms"
    )
    print("target: build under 60 s, 2-hop query under 50 ms p99")
    if args.store_flights:
        picture_on_store(args.store_flights, queries=50)
    return 0


def picture_on_store(flights: int, *, queries: int) -> None:
    """`network_picture` against `network` (whole-store graph) on an ingested day."""
    from firstline import logs
    from firstline.generate.day import DayPlan, write_day
    from firstline.services import links
    from firstline.services.ingest import ingest_paths
    from firstline.store import open_store

    logs.configure(level=logging.WARNING)  # one event per message would bury the figures
    with tempfile.TemporaryDirectory() as tmp:
        plan = DayPlan(day=date.today() + timedelta(days=1), flights=flights, seed=3)
        write_day(plan, Path(tmp) / "day")
        store = open_store(f"sqlite:///{tmp}/bench.db")
        started = time.perf_counter()
        ingest_paths(store, [Path(tmp) / "day"])
        with store.connect() as conn:
            ids = [int(i) for i in conn.exec_driver_sql("SELECT id FROM travellers").scalars()]
        print(f"\nstore: {len(ids):,} travellers on {flights} flights "
              f"(ingested in {time.perf_counter() - started:.0f} s)")  # fmt: skip
        rng = random.Random(4)
        sample = [rng.choice(ids) for _ in range(queries)]
        for name, call in (("network_picture", links.network_picture), ("network", links.network)):
            times = []
            for traveller in sample:
                started = time.perf_counter()
                call(store, traveller, hops=2)
                times.append((time.perf_counter() - started) * 1000)
            cut = statistics.quantiles(times, n=20)
            print(f"{name}, 2 hops ({queries} travellers): p50 {cut[9]:.0f} ms, "
                  f"p95 {cut[18]:.0f} ms, max {max(times):.0f} ms")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
