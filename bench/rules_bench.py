"""Risk-rule evaluation throughput: 50, 500 and 2,000 active rules over generated travellers.

Travellers: the facts of a generated day (firstline generate + ingest into a temporary SQLite
store, facts built by the store's facts builder), cycled to the requested count, so values are
distributed as in traffic. Rules: seeded random analyst-like rules over the field catalogue
(2 to 4 AND-ed conditions, nested any/not now and then; most start with an airport, country,
carrier or yes/no condition, as analysts' rules do), compiled once.
Figures, side by side in the same run: the indexed evaluation (`RuleSet.evaluate`) and testing
every rule on every traveller (`evaluate_all`), one core. Target: 20,000 travellers/s at 500
rules.

Run: python bench/rules_bench.py [--travellers 1000000] [--rules 50,500,2000] [--flights 150]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from firstline.generate import DayPlan, write_day
from firstline.logs import configure
from firstline.rules.compile import compile_rule
from firstline.rules.engine import RuleSet
from firstline.rules.fields import FIELDS, FieldType
from firstline.rules.model import Condition, Group, Rule, RuleStatus
from firstline.services.ingest import ingest_paths
from firstline.store import open_store
from firstline.store.repos import rule_facts


def day_facts(flights: int) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "day"
        from datetime import date, timedelta

        plan = DayPlan(
            day=date.today() + timedelta(days=1), airports=("FRA",), flights=flights, seed=3
        )
        write_day(plan, out)
        store = open_store(f"sqlite:///{tmp}/bench.db")
        ingest_paths(store, [out])
        with store.connect() as conn:
            facts = list(rule_facts.iter_facts(conn, departure_from=None, departure_to=None))
        store.dispose()
    return facts


def observed(facts: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Values seen per field, so random rules ask for values travellers really have.

    Only values held by at most 5 % of travellers: an analyst's rule targets a route, a
    nationality or a behaviour, not the hub airport every flight touches.
    """
    counts: dict[str, dict[Any, int]] = {}
    sample = facts[:5000]
    for f in sample:
        for name, value in f.items():
            if name.startswith("_") or value is None:
                continue
            for item in value if isinstance(value, tuple) else (value,):
                bucket = counts.setdefault(name, {})
                bucket[item] = bucket.get(item, 0) + 1
    limit = 0.05 * len(sample)
    out = {}
    for name, bucket in counts.items():
        rare = sorted((v for v, n in bucket.items() if n <= limit), key=str)
        if rare:
            out[name] = rare
    return out


def random_condition(rng: random.Random, values: dict[str, list[Any]]) -> Condition:
    field = rng.choice([f for f in FIELDS if f.name in values])
    pool = values[field.name]
    kind = field.type
    if kind is FieldType.BOOLEAN:
        return Condition(field.name, rng.choice(["is_true", "is_false"]))
    if kind is FieldType.NUMBER:
        numbers = [v for v in pool if isinstance(v, int | float)]
        pivot = rng.choice(numbers) if numbers else 0
        return Condition(field.name, rng.choice(["less_than", "at_least", "equals"]), pivot)
    if kind is FieldType.CODES:
        return Condition(field.name, "contains_any", rng.sample(pool, min(len(pool), 3)))
    if kind is FieldType.DATE:
        return Condition(field.name, "is_not_empty")
    if kind is FieldType.CODE:
        if rng.random() < 0.5:
            return Condition(field.name, "equals", rng.choice(pool))
        return Condition(field.name, "in", rng.sample(pool, min(len(pool), 4)))
    return Condition(field.name, "starts_with", str(rng.choice(pool))[:2])


def anchor_condition(rng: random.Random, values: dict[str, list[Any]]) -> Condition:
    choices = [
        n
        for n in (
            "flight.origin",
            "flight.destination",
            "flight.origin_country",
            "traveller.nationality",
            "flight.carrier",
        )
        if n in values
    ]
    name = rng.choice(choices)
    if rng.random() < 0.7:
        return Condition(name, "equals", rng.choice(values[name]))
    return Condition(name, "in", rng.sample(values[name], min(len(values[name]), 3)))


def random_rules(count: int, values: dict[str, list[Any]], seed: int) -> list[Rule]:
    rng = random.Random(seed)
    rules = []
    for n in range(count):
        items: list[Condition | Group] = []
        if rng.random() < 0.85:  # most analyst rules start with a route or a population
            items.append(anchor_condition(rng, values))
        for _ in range(rng.randint(1, 3)):
            items.append(random_condition(rng, values))
        if rng.random() < 0.2:
            items.append(
                Group("any", (random_condition(rng, values), random_condition(rng, values)))
            )
        if rng.random() < 0.1:
            items.append(Group("not", (random_condition(rng, values),)))
        rules.append(
            Rule(
                key=f"r{n}",
                title=f"rule {n}",
                when=Group("all", tuple(items)),
                status=RuleStatus.ACTIVE,
            )
        )
    return rules


def measure(
    ruleset: RuleSet, facts: list[dict[str, Any]], count: int, indexed: bool
) -> tuple[float, int]:
    evaluate = ruleset.evaluate if indexed else ruleset.evaluate_all
    hits = 0
    size = len(facts)
    started = time.perf_counter()
    for i in range(count):
        hits += len(evaluate(facts[i % size]))
    return count / (time.perf_counter() - started), hits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--travellers", type=int, default=1_000_000)
    parser.add_argument("--rules", default="50,500,2000")
    parser.add_argument("--flights", type=int, default=150)
    parser.add_argument(
        "--baseline-travellers",
        type=int,
        default=20_000,
        help="travellers for the every-rule baseline (it is slow)",
    )
    args = parser.parse_args()
    configure(level=40)
    started = time.perf_counter()
    facts = day_facts(args.flights)
    print(
        f"facts of a generated day: {len(facts):,} travellers in "
        f"{time.perf_counter() - started:.1f} s (generate + ingest + facts)"
    )
    values = observed(facts)
    print(
        f"{'rules':>6}  {'anchored':>8}  {'indexed trav/s':>14}  {'every rule trav/s':>17}  "
        f"{'hits per 1,000':>14}"
    )
    for count in [int(c) for c in args.rules.split(",")]:
        rules = random_rules(count, values, seed=count)
        ruleset = RuleSet(compile_rule(r, {}) for r in rules)
        fast, hits = measure(ruleset, facts, args.travellers, indexed=True)
        slow, _ = measure(ruleset, facts, args.baseline_travellers, indexed=False)
        print(
            f"{count:>6}  {ruleset.anchored_share:>8.0%}  {fast:>14,.0f}  {slow:>17,.0f}  "
            f"{1000 * hits / args.travellers:>14.1f}"
        )
    print(
        f"target: 20,000 travellers/s with 500 rules on one core "
        f"({args.travellers:,} travellers evaluated per rule count)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
