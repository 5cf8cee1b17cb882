"""Page latency of the analyst's interface with one million travellers stored.

Fills a store (SQLite file and/or a fresh PostgreSQL database) with synthetic but realistically
shaped data: about 8,000 flights over nine weeks around today (the flights board reads three
days of them), 1,000,000 travellers with a document each, bookings of one to six people with
contacts and payments, one person per traveller with a fifth of them travelling again, and
hits on 0.4 % of travellers (open on flights to come, closed on past ones). Then, logged in as
an analyst through the real login form, requests each page many times in-process (routing,
database, templates, audit writes included; no network) and prints p50/p99 per page and
backend. Target: p99 under 300 ms.

Run: python bench/web_latency.py [--travellers 1000000] [--requests 200]
                                 [--backends sqlite,postgres]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from firstline.generate.names import _read as read_names
from firstline.services import access
from firstline.settings import Settings
from firstline.store import open_store
from firstline.store.db import Store
from firstline.web import create_app

POSTGRES = os.environ.get(
    "FIRSTLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
CARRIERS = ["LH", "BA", "AF", "KL", "TK", "EK", "QR", "UA", "AA", "LX", "OS", "SN", "AZ", "IB"]
AIRPORTS = "LHR CDG AMS IST DXB DOH JFK ORD ZRH VIE BRU FCO MAD BKK SIN GRU MEX LOS NBO DEL".split()
NATIONALITIES = "DEU GBR FRA NLD TUR ARE USA CHE ESP ITA POL IND CHN NGA BRA MEX THA ROU".split()
PASSWORD = "bench-password-1"


def rows_for(travellers: int, seed: int = 7) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows as tuples in the column order of `COLUMNS`."""
    rng = random.Random(seed)
    pools = read_names()
    surnames = [n for c in pools.values() for n in c.get("surname", [])]
    givens = [n for c in pools.values() for k in ("male", "female") for n in c.get(k, [])]
    now = datetime.now(UTC)
    today = date.today()
    out: dict[str, list[tuple[Any, ...]]] = {k: [] for k in COLUMNS}
    out["messages"].append((1, "0" * 64, "bench", now, 0, "edifact", "PAXLST", "loaded"))
    flight_count = travellers // 125
    days = 63
    traveller_id = booking_id = person_id = hit_id = 0
    repeaters: list[int] = []
    for flight_id in range(1, flight_count + 1):
        day = today + timedelta(days=(flight_id * days) // flight_count - (days - 3))
        departure = datetime.combine(day, datetime.min.time()) + timedelta(
            minutes=rng.randrange(0, 24 * 60, 5)
        )
        arrival = departure + timedelta(minutes=rng.randrange(60, 12 * 60, 5))
        carrier, number = rng.choice(CARRIERS), str(rng.randrange(1, 9999))
        inbound = rng.random() < 0.5
        other = rng.choice(AIRPORTS)
        origin, destination = ("FRA", other) if not inbound else (other, "FRA")
        out["flights"].append(
            (flight_id, carrier, number, origin, destination, day, departure, arrival, 180, 10,
             125, 0, 125, 125, now, now, f"{carrier}|{number}|{day}|{origin}|{flight_id}")
        )  # fmt: skip
        upcoming = arrival.date() >= today
        seats = 125
        while seats > 0:
            booking_id += 1
            size = min(seats, rng.choices([1, 2, 3, 4, 5, 6], weights=[55, 25, 9, 6, 3, 2])[0])
            seats -= size
            locator = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
            out["bookings"].append(
                (booking_id, f"1A|{locator}|{booking_id}", "1A", locator, departure - timedelta(
                    days=rng.randrange(1, 60)), size, "{}", 0, 1, 1, now, now)
            )  # fmt: skip
            out["booking_flights"].append((booking_id, flight_id, 1))
            out["booking_contacts"].append(
                (booking_id, "phone", f"+49{rng.randrange(10**9, 10**10)}", True, 1)
            )
            if rng.random() < 0.4:
                out["booking_contacts"].append(
                    (booking_id, "email", f"p{booking_id}@mail{booking_id % 97}.example", True, 1)
                )
            out["payments"].append((booking_id, "CC", "VI", f"{rng.randrange(10000):04d}", 1))
            family = rng.choice(surnames).upper()
            for _ in range(size):
                traveller_id += 1
                if repeaters and rng.random() < 0.2:
                    person = rng.choice(repeaters)
                else:
                    person_id += 1
                    person = person_id
                    out["persons"].append((person, now))
                    if rng.random() < 0.3:
                        repeaters = (repeaters + [person])[-20000:]
                born = date(rng.randrange(1945, 2020), rng.randrange(1, 13), rng.randrange(1, 29))
                nationality = rng.choice(NATIONALITIES)
                out["travellers"].append(
                    (traveller_id, flight_id, f"T{traveller_id}", "passenger", family,
                     rng.choice(givens).upper(), rng.choice("MF"), born, nationality,
                     f"A{traveller_id}", f"P{traveller_id}", booking_id, '["API", "PNR"]',
                     "{}", "{}", 1, 1, now, now)
                )  # fmt: skip
                out["travel_documents"].append(
                    (traveller_id, 1, "P", f"C{rng.randrange(10**7, 10**8)}", nationality,
                     born + timedelta(days=365 * 30), 1)
                )  # fmt: skip
                out["person_links"].append((traveller_id, person, "document", 1.0, False, now))
                if rng.random() < 0.004:
                    hit_id += 1
                    severity = rng.choices(["high", "medium", "low"], weights=[3, 5, 2])[0]
                    state, status = ("new", "open") if upcoming else ("closed", "false_positive")
                    explanation = orjson.dumps(
                        {"summary": ["Rule 'bench' matched.", "Booked hours before departure."]}
                    ).decode()
                    out["hits"].append(
                        (hit_id, traveller_id, flight_id, "rule", f"rule:bench-{hit_id % 40}",
                         f"Rule: bench rule {hit_id % 40}", "cash", severity,
                         round(rng.random(), 2), explanation, status, True, now, now, state)
                    )  # fmt: skip
    return out


COLUMNS: dict[str, str] = {
    "messages": "id, sha256, source, received_at, size, format, message_type, status",
    "flights": "id, carrier, number, origin, destination, departure_date, scheduled_departure, "
    "scheduled_arrival, declared_passengers, declared_crew, loaded_passengers, loaded_crew, "
    "with_api, with_pnr, created_at, updated_at, flight_key",
    "bookings": "id, booking_key, system, record_locator, created_at, number_in_party, details, "
    "sensitive_removed, first_message_id, last_message_id, created, updated",
    "booking_flights": "booking_id, flight_id, last_message_id",
    "booking_contacts": "booking_id, kind, value, normalised, message_id",
    "payments": "booking_id, type, card_vendor, card_last_four, message_id",
    "persons": "id, created_at",
    "travellers": "id, flight_id, identity_key, role, surname, given_names, gender, "
    "date_of_birth, nationality, api_key, pnr_key, booking_id, sources, provenance, details, "
    "first_message_id, last_message_id, created_at, updated_at",
    "travel_documents": "traveller_id, sequence, type, number, issuing_country, expiry_date, "
    "message_id",
    "person_links": "traveller_id, person_id, reason, score, decided, created_at",
    "hits": "id, traveller_id, flight_id, source, source_key, title, category, severity, score, "
    "explanation, status, current, first_seen_at, updated_at, review_state",
}


def load(store: Store, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    """Bulk load: COPY on PostgreSQL, executemany in one transaction on SQLite."""
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for table, columns in COLUMNS.items():
            if store.is_postgres:
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    for row in rows[table]:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns.split(","))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                    [tuple(_sqlite(v) for v in row) for row in rows[table]],
                )
        if store.is_postgres:
            for table in ("messages", "flights", "bookings", "persons", "travellers", "hits"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


def _sqlite(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def login(client: TestClient) -> None:
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    answer = client.post(
        "/login",
        data={"username": "analyst", "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def timed(client: TestClient, paths: Iterator[str], count: int) -> tuple[float, float]:
    seconds = []
    for _ in range(count):
        path = next(paths)
        started = time.perf_counter()
        answer = client.get(path)
        seconds.append(time.perf_counter() - started)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    seconds.sort()
    return statistics.median(seconds) * 1000, seconds[int(len(seconds) * 0.99) - 1] * 1000


def measure(store: Store, travellers: int, requests: int) -> list[tuple[str, float, float]]:
    access.add_user(store, "analyst", role="analyst", password=PASSWORD)
    app = create_app(Settings(database_url=store.url, environment="development"), store)
    rng = random.Random(3)
    with store.connect() as conn:
        open_hits = [
            r[0] for r in conn.execute(text("SELECT id FROM hits WHERE review_state = 'new'"))
        ]
        flight_ids = [r[0] for r in conn.execute(text("SELECT id FROM flights"))]
    results = []
    with TestClient(app) as client:
        login(client)
        client.put("/api/v1/policy/second-review", json={"severities": []})  # no-op warm-up
        pages: dict[str, Iterator[str]] = {
            "flights board (72 h)": _cycle(lambda: "/flights"),
            "flight page (manifest)": _cycle(lambda: f"/flights/{rng.choice(flight_ids)}"),
            "traveller page": _cycle(lambda: f"/travellers/{rng.randrange(1, travellers)}"),
            "hit queue": _cycle(lambda: "/hits"),
            "hit queue, high only": _cycle(lambda: "/hits?severity=high"),
            "hit page": _cycle(lambda: f"/hits/{rng.choice(open_hits)}"),
            "API hit queue": _cycle(lambda: "/api/v1/hits?limit=100"),
        }
        for name, paths in pages.items():
            timed(client, paths, 5)  # warm caches
            p50, p99 = timed(client, paths, requests)
            results.append((name, p50, p99))
    return results


def _cycle(make: Any) -> Iterator[str]:
    while True:
        yield make()


def sqlite_store(path: Path) -> Store:
    path.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return open_store(f"sqlite:///{path}")


def postgres_store() -> tuple[Store, Any]:
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS firstline_web_bench WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE firstline_web_bench"))
    url = POSTGRES.rsplit("/", 1)[0] + "/firstline_web_bench"
    return open_store(url), admin


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--travellers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--sqlite-path", type=Path, default=Path("/tmp/firstline-web-bench.db"))
    args = parser.parse_args()
    started = time.perf_counter()
    rows = rows_for(args.travellers)
    print(
        f"synthetic data: {len(rows['flights']):,} flights, {len(rows['travellers']):,} "
        f"travellers, {len(rows['bookings']):,} bookings, {len(rows['hits']):,} hits "
        f"({time.perf_counter() - started:.1f} s)"
    )
    table: list[tuple[str, str, float, float]] = []
    for backend in args.backends.split(","):
        admin = None
        if backend == "sqlite":
            store = sqlite_store(args.sqlite_path)
        else:
            store, admin = postgres_store()
        started = time.perf_counter()
        load(store, rows)
        print(f"{backend}: loaded in {time.perf_counter() - started:.1f} s")
        for name, p50, p99 in measure(store, args.travellers, args.requests):
            table.append((backend, name, p50, p99))
            verdict = "ok" if p99 < 300 else "OVER TARGET"
            print(f"  {name:<26} p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   {verdict}")
        store.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text("DROP DATABASE IF EXISTS firstline_web_bench WITH (FORCE)"))
    out = io.StringIO()
    out.write("\n| backend | page | p50 ms | p99 ms |\n|---|---|---|---|\n")
    for backend, name, p50, p99 in table:
        out.write(f"| {backend} | {name} | {p50:.1f} | {p99:.1f} |\n")
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
