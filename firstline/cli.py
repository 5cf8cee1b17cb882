"""The `firstline` command line: parse, ingest, inspect and run the demo."""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from sqlalchemy import Connection

from firstline import logs
from firstline.exc import FirstlineError
from firstline.generate import NO_DEVIATIONS, DayPlan, DaySummary, Deviations, write_day
from firstline.generate.deviations import scaled
from firstline.generate.people import Flight
from firstline.generate.scenario_lists import answers_folder
from firstline.services.ingest import IngestSummary, Outcome, ingest_paths, iter_files
from firstline.services.parsing import parse_files, parse_report
from firstline.settings import Settings, get_settings
from firstline.store import Store, open_store
from firstline.store import db as store_db
from firstline.store.repos import bookings as booking_repo
from firstline.store.repos import flights as flight_repo
from firstline.store.repos import messages as message_repo
from firstline.store.repos import travellers as traveller_repo

app = typer.Typer(help="firstline: API/PNR ingest and targeting for Customs.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema management.", no_args_is_help=True)
app.add_typer(db_app, name="db")
# Piped or captured output gets wide tables: a file or a log collector has no terminal width.
console = Console() if sys.stdout.isatty() else Console(width=200)
err = Console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def _store(settings: Settings | None = None) -> Store:
    return open_store((settings or get_settings()).resolved_database_url())


@app.callback()
def _setup(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress events.")] = False,
) -> None:
    settings = get_settings()
    logs.configure(json=settings.log_format == "json", level=20 if verbose else 40)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the normalised content.")] = False,
) -> None:
    """Parse messages and print what they contain (nothing is stored)."""
    parsed = parse_files(files, options=get_settings().parse_options())
    if as_json:
        print(json.dumps(parse_report(parsed), indent=2, ensure_ascii=False))
        return
    table = Table("file", "status", "flight", "travellers", "warnings", "problem")
    for item in parsed:
        found = [m.flight for m in item.messages] + [p.flight for p in item.pushes]
        flights = ", ".join(f.designator for f in found if f is not None)
        count = sum(len(m.travellers) for m in item.messages) + sum(
            len(b.travellers) for p in item.pushes for b in p.bookings
        )
        warnings = (
            len(item.warnings)
            + sum(len(m.warnings) for m in item.messages)
            + sum(len(p.warnings) for p in item.pushes)
        )
        problem = (item.error or {}).get("reason", "")
        table.add_row(
            Path(item.path).name,
            item.status,
            flights,
            str(count),
            str(warnings),
            str(problem),
        )
    console.print(table)


def _run_ingest(store: Store, paths: list[Path]) -> IngestSummary:
    total = sum(1 for _ in iter_files(paths))
    columns = (
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[status]}"),
    )
    with Progress(*columns, console=err, transient=False, disable=total < 2) as progress:
        task = progress.add_task("ingest", total=total, status="")

        def tick(path: Path, outcome: Outcome) -> None:
            progress.update(task, advance=1, status=f"{outcome.status}: {path.name}"[:60])

        options = get_settings().parse_options()
        return ingest_paths(store, paths, progress=tick, options=options)


def _print_summary(summary: IngestSummary, seconds: float) -> None:
    table = Table(
        "received",
        "loaded",
        "duplicate",
        "quarantined",
        "flights",
        "bookings",
        "travellers added",
        "travellers updated",
        "API+PNR merged",
        "warnings",
        title="Ingest summary",
    )
    table.add_row(
        *(
            str(v)
            for v in (
                summary.received,
                summary.loaded,
                summary.duplicate,
                summary.quarantined,
                len(summary.flights),
                summary.bookings,
                summary.travellers_added,
                summary.travellers_updated,
                summary.travellers_merged,
                summary.warnings,
            )
        )
    )
    console.print(table)
    console.print(f"{summary.received} messages in {seconds:.2f} s")
    if summary.quarantined:
        reasons = Counter(
            reason.split(" (")[0].split(":")[0] for _, reason in summary.quarantine_reasons
        )
        why = Table("quarantined because", "messages", title="Quarantine reasons")
        for reason, count in reasons.most_common():
            why.add_row(reason, str(count))
        console.print(why)
        console.print(
            f"[yellow]{summary.quarantined} quarantined[/]: see [bold]firstline quarantine[/]"
        )


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(exists=True, help="Files or folders.")],
) -> None:
    """Load messages into the store: duplicates are skipped, bad messages quarantined."""
    store = _store()
    started = time.perf_counter()
    summary = _run_ingest(store, paths)
    _print_summary(summary, time.perf_counter() - started)


@app.command()
def quarantine(
    show: Annotated[int | None, typer.Option(help="Show one message's reason in full.")] = None,
    limit: Annotated[int, typer.Option(help="How many to list.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """List quarantined messages and why they were set aside."""
    store = _store()
    with store.connect() as conn:
        rows = message_repo.quarantined(conn, limit=10_000 if show else limit)
    if show is not None:
        match = [r for r in rows if r["id"] == show]
        if not match:
            raise typer.BadParameter(f"no quarantined message {show}")
        _print_json(match[0])
        return
    if as_json:
        _print_json(rows)
        return
    table = Table("id", "received", "source", "bytes", "reason", title="Quarantine")
    for row in rows:
        table.add_row(
            str(row["id"]),
            f"{row['received_at']:%Y-%m-%d %H:%M}",
            row["source"],
            str(row["size"]),
            row["reason"] or "",
        )
    console.print(table)


@app.command()
def flights(as_json: JsonOption = False) -> None:
    """Flights loaded, with travellers and declared totals."""
    store = _store()
    with store.connect() as conn:
        rows = flight_repo.list_flights(conn)
        series = flight_repo.series_status(conn)
    for row in rows:
        row["api_parts"] = series.get(int(row["id"]))
    if as_json:
        _print_json(rows)
        return
    table = Table(
        "id",
        "flight",
        "from",
        "to",
        "departure",
        "arrival",
        "passengers",
        "crew",
        "declared pax",
        "messages",
        "API parts",
        title="Flights",
    )
    for row in rows:
        passengers = int(row["travellers"]) - int(row["crew"])
        table.add_row(
            str(row["id"]),
            f"{row['carrier'] or '??'}{row['number'] or '?'}",
            row["origin"] or "",
            row["destination"] or "",
            _when(row["scheduled_departure"]),
            _when(row["scheduled_arrival"]),
            str(passengers),
            str(row["crew"]),
            "" if row["declared_passengers"] is None else str(row["declared_passengers"]),
            str(row["messages"]),
            row["api_parts"] or "",
        )
    console.print(table)


def _when(value: Any) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M}"


def _per_flight(
    flight: str, fetch: Callable[[Connection, int], list[dict[str, Any]]]
) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """`fetch` for every flight matching `flight`; exits with a clear message when none does."""
    store = _store()
    with store.connect() as conn:
        found = flight_repo.find_flights(conn, flight)
        if not found:
            err.print(f"[red]no flight matches {flight!r}[/]; see firstline flights")
            raise typer.Exit(1)
        return [(item, fetch(conn, int(item["id"]))) for item in found]


@app.command()
def travellers(
    flight: Annotated[str, typer.Option("--flight", "-f", help="Flight id or designator.")],
    as_json: JsonOption = False,
) -> None:
    """Travellers of a flight (personal data: shown to the operator, never logged)."""
    listing = _per_flight(flight, traveller_repo.list_travellers)
    if as_json:
        _print_json([{"flight": item, "travellers": rows} for item, rows in listing])
        return
    for item, rows in listing:
        title = (
            f"{item['carrier']}{item['number']} {item['origin']}-{item['destination']} "
            f"{_when(item['scheduled_departure'])}"
        )
        table = Table(
            "id",
            "role",
            "surname",
            "given names",
            "sex",
            "born",
            "nat.",
            "document",
            "expires",
            "booking",
            "seat",
            "sources",
            title=title,
        )
        for row in rows:
            table.add_row(
                str(row["id"]),
                row["role"],
                row["surname"] or "",
                row["given_names"] or "",
                row["gender"] or "",
                str(row["date_of_birth"] or ""),
                row["nationality"] or "",
                f"{row['document_type'] or ''} {row['document_number'] or ''}".strip(),
                str(row["document_expiry"] or ""),
                row["booking_reference"] or "",
                row["seat"] or "",
                "+".join(row["sources"] or []),
            )
        console.print(table)


@app.command()
def bookings(
    flight: Annotated[str, typer.Option("--flight", "-f", help="Flight id or designator.")],
    as_json: JsonOption = False,
) -> None:
    """Bookings (PNR) pushed for a flight: who booked, how they paid, how to reach them."""
    listing = _per_flight(flight, booking_repo.bookings_of_flight)
    if as_json:
        _print_json([{"flight": item, "bookings": rows} for item, rows in listing])
        return
    for item, rows in listing:
        table = Table(
            "locator", "created", "last change", "agency", "travellers", "itinerary",
            "payments", "contacts", "removed",
            title=f"{item['carrier']}{item['number']} {_when(item['scheduled_departure'])}",
        )  # fmt: skip
        for row in rows:
            details = row["details"] or {}
            agency = row["agency"] or {}
            table.add_row(
                row["record_locator"] or "",
                _when(row["created_at"]),
                _when(row["last_modified"]),
                " ".join(
                    str(agency.get(k) or "") for k in ("system", "location", "office_id")
                ).strip(),
                str(len(details.get("travellers", []))),
                " ".join(
                    f"{leg.get('departure_airport')}-{leg.get('arrival_airport')}"
                    for leg in details.get("itinerary", [])
                ),
                ", ".join(_payment(p) for p in details.get("payments", [])),
                str(len(details.get("contacts", []))),
                str(row["sensitive_removed"] or 0),
            )
        console.print(table)


def _payment(payment: dict[str, Any]) -> str:
    card = payment.get("card_last_four")
    kind = payment.get("card_vendor") or payment.get("type") or "?"
    return f"{kind} …{card}" if card else str(kind)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply schema migrations."""
    store = open_store(get_settings().resolved_database_url(), migrate=False)
    store_db.upgrade(store, revision)
    console.print(f"schema at {store_db.current_revision(store)}")


@db_app.command("current")
def db_current() -> None:
    """Show the schema revision."""
    store = open_store(get_settings().resolved_database_url(), migrate=False)
    console.print(f"schema at {store_db.current_revision(store) or '(empty)'}")


def _run_generate(plan: DayPlan, out: Path) -> DaySummary:
    columns = (
        TextColumn("[bold]generate"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[status]}"),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task("generate", total=plan.flights, status="")

        def tick(flight: Flight) -> None:
            status = f"{flight.designator} {flight.origin}-{flight.destination}"
            progress.update(task, advance=1, status=status)

        return write_day(plan, out, progress=tick)


@app.command()
def generate(
    day: Annotated[
        str | None, typer.Option("--date", help="Day of traffic, YYYY-MM-DD (default: tomorrow).")
    ] = None,
    airport: Annotated[
        list[str] | None, typer.Option("--airport", help="Hub airport (IATA), repeatable.")
    ] = None,
    flights: Annotated[int, typer.Option(min=1, help="Number of flights.")] = 40,
    seed: Annotated[int, typer.Option(help="Same seed, same messages.")] = 1,
    out: Annotated[
        Path | None, typer.Option(help="Output folder (default: data/traffic/<date>).")
    ] = None,
    scenarios: Annotated[
        bool, typer.Option(help="Plant scenarios; write answer key, watchlist, lost/stolen list.")
    ] = True,
    deviations: Annotated[
        bool,
        typer.Option(
            help="Inject real-world deviations (separators, wrong UNT, Type B, broken files...); "
            "listed in _answers/deviations.json."
        ),
    ] = True,
    deviation_scale: Annotated[
        float, typer.Option(min=0, help="Multiply every deviation rate (1 = the default rates).")
    ] = 1.0,
) -> None:
    """Write a deterministic day of synthetic PNRGOV and PAXLST traffic (no real people)."""
    try:
        when = date.fromisoformat(day) if day else date.today() + timedelta(days=1)
    except ValueError as exc:
        raise typer.BadParameter(f"not a YYYY-MM-DD date: {day}", param_hint="--date") from exc
    hubs = tuple(code.strip().upper() for code in airport or ["FRA"])
    folder = out or Path("data") / "traffic" / when.isoformat()
    rates = scaled(Deviations(), deviation_scale) if deviations else NO_DEVIATIONS
    plan = DayPlan(
        day=when, airports=hubs, flights=flights, seed=seed, scenarios=scenarios, deviations=rates
    )
    started = datetime.now()
    summary = _run_generate(plan, folder)
    seconds = (datetime.now() - started).total_seconds()
    table = Table(
        "files", "flights", "travellers", "planted", "bytes", "folder", title="Generated traffic"
    )
    table.add_row(
        str(summary.files),
        str(summary.flights),
        str(summary.travellers),
        str(summary.planted),
        f"{summary.bytes:,}",
        str(folder),
    )
    console.print(table)
    if summary.deviated:
        console.print(f"{summary.deviated} files with deviations, see _answers/deviations.json")
    console.print(f"{summary.files} files in {seconds:.2f} s; load them with firstline ingest")


def _default_corpus() -> Path:
    env = os.environ.get("FIRSTLINE_CORPUS")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@app.command()
def demo(
    corpus: Annotated[Path | None, typer.Option(help="Folder of sample messages.")] = None,
    flight_count: Annotated[
        int,
        typer.Option("--flights", min=1, help="Flights to generate (about 127 travellers each)."),
    ] = 150,
) -> None:
    """Generate tomorrow's synthetic traffic, load it and the sample corpus, show the result."""
    folder = corpus or _default_corpus()
    if not folder.is_dir():
        err.print(f"[red]sample folder not found: {folder}[/] (set FIRSTLINE_CORPUS)")
        raise typer.Exit(2)
    settings = get_settings()
    store = _store(settings)
    console.print(f"store: {settings.resolved_database_url()}")
    plan = DayPlan(
        day=date.today() + timedelta(days=1), airports=("FRA",), flights=flight_count, seed=1
    )
    traffic = settings.data_dir / "traffic" / plan.day.isoformat()
    generated = _run_generate(plan, traffic)
    console.print(
        f"generated {generated.files} synthetic messages for {generated.flights} flights "
        f"({generated.travellers} travellers) in {traffic}"
    )
    console.print(
        f"{generated.planted} planted scenarios; answer key and synthetic lists in "
        f"{answers_folder(traffic)}"
    )
    started = time.perf_counter()
    summary = _run_ingest(store, [traffic, folder])
    _print_summary(summary, time.perf_counter() - started)
    flights()
    with store.connect() as conn:
        console.print(f"messages by status: {message_repo.counts_by_status(conn)}")


def main() -> None:
    try:
        app()
    except FirstlineError as exc:
        err.print(f"[red]error[/] ({exc.code}): {exc}")
        raise SystemExit(exc.exit_code) from exc
