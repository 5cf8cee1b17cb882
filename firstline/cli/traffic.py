"""Synthetic traffic and the demo: `firstline generate`, `firstline demo`."""

from __future__ import annotations

import os
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from firstline.cases.access import command_line_actor
from firstline.cli.app import (
    app,
    console,
    err,
    open_default_store,
)
from firstline.cli.loaded import flights
from firstline.cli.messages import print_summary, run_ingest
from firstline.cli.web import run_server
from firstline.generate import NO_DEVIATIONS, DayPlan, DaySummary, Deviations, write_day
from firstline.generate.deviations import scaled
from firstline.generate.people import Flight
from firstline.generate.scenario_lists import ANSWER_KEY, LOST_STOLEN, WATCHLIST, answers_folder
from firstline.services import access, overview, scenarios
from firstline.services import rules as rule_service
from firstline.services import watchlists as list_service
from firstline.services.workplace import set_home_airports
from firstline.settings import get_settings
from firstline.store import Store


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
    # firstline/cli/traffic.py -> the checkout's parent folder, where ../shared lives.
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "corpus"


@app.command()
def demo(
    corpus: Annotated[Path | None, typer.Option(help="Folder of sample messages.")] = None,
    flight_count: Annotated[
        int,
        typer.Option("--flights", min=1, help="Flights to generate (about 127 travellers each)."),
    ] = 150,
    serve: Annotated[
        bool, typer.Option(help="Serve the analyst's web interface on the result.")
    ] = True,
    host: Annotated[str, typer.Option(help="Address the web interface listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the web interface.")] = 8000,
) -> None:
    """Generate tomorrow's synthetic traffic, load it and the sample corpus, show the result,
    then serve the analyst's web interface on it with demonstration accounts."""
    folder = corpus or _default_corpus()
    if not folder.is_dir():
        err.print(f"[red]sample folder not found: {folder}[/] (set FIRSTLINE_CORPUS)")
        raise typer.Exit(2)
    settings = get_settings()
    store = open_default_store(settings)
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
    _import_demo_lists(store, answers_folder(traffic))
    pack = rule_service.import_pack(store, rule_service.EXAMPLE_PACK.read_text(encoding="utf-8"))
    console.print(
        f"risk rules: example pack loaded ({len(pack.new)} new, {len(pack.changed)} changed, "
        f"{len(pack.unchanged)} unchanged); see firstline rules list"
    )
    started = time.perf_counter()
    summary = run_ingest(store, [traffic, folder])
    print_summary(summary, time.perf_counter() - started)
    flights(limit=25)
    console.print(f"messages by status: {overview.message_counts(store)}")
    _print_detection(store, answers_folder(traffic) / ANSWER_KEY)
    _demo_accounts(store)
    if serve:
        run_server(host, port)


# Demonstration accounts, one per role, with one printed password: synthetic data on a
# loopback address. A real installation creates its own with `firstline users add`.
DEMO_PASSWORD = "firstline-demo"
DEMO_USERS = (
    ("analyst", "analyst", "Alex Analyst", None),
    ("supervisor", "supervisor", "Sam Supervisor", None),
    ("officer", "port_officer", "Pat Port-Officer", "FRA"),
    ("admin", "administrator", "Ada Admin", None),
    ("auditor", "auditor", "Avery Auditor", None),
)


def _demo_accounts(store: Store) -> None:
    known = {str(u["username"]) for u in access.users(store)}
    for username, role, name, port in DEMO_USERS:
        if username not in known:
            access.add_user(
                store, username, role=role, password=DEMO_PASSWORD, display_name=name, port=port
            )
    set_home_airports(store, command_line_actor("demo"), ["FRA"])
    table = Table("user name", "role", "password", title="Demonstration accounts")
    for username, role, _name, port in DEMO_USERS:
        table.add_row(username, role + (f" ({port})" if port else ""), DEMO_PASSWORD)
    console.print(table)


# The demo's lists: the generated day's own (the scenarios refer to them) and, when the shared
# data folder is there, the real UN Security Council list as a sanctions list.
def _demo_lists(answers: Path) -> list[tuple[str, Path, str, str, str]]:
    lists = [
        ("persons of interest", answers / WATCHLIST, "csv", "terrorism", "high"),
        ("lost and stolen documents", answers / LOST_STOLEN, "csv", "lost_stolen", "high"),
    ]
    un = _default_corpus().parent / "watchlists" / "un" / "un_consolidated_2026-02-27.xml"
    if un.is_file():
        lists.append(("UN Security Council consolidated", un, "un-xml", "sanctions", "high"))
    return lists


def _import_demo_lists(store: Store, answers: Path) -> None:
    table = Table("list", "category", "version", "entries", "added", "changed", "removed",
                  title="Watchlists")  # fmt: skip
    for name, path, fmt, category, severity in _demo_lists(answers):
        report = list_service.import_list(
            store, name, [path], fmt, category=category, severity=severity
        )
        table.add_row(
            name, category, str(report.version), str(report.entries), str(report.added),
            str(report.changed), str(report.removed),
        )  # fmt: skip
    console.print(table)


def _print_detection(store: Store, answer_key: Path) -> None:
    counts = overview.hit_counts(store)
    table = Table("source", "category", "current hits", title="Hits by category")
    for (source, category), count in sorted(counts.items()):
        table.add_row(source, category, str(count))
    console.print(table)
    results = scenarios.evaluate(
        store, answer_key, running=frozenset({"screening", "risk rules", "link analysis"})
    )
    detail = Table("scenario", "type", "detector", "result", title="Planted scenarios")
    for result in results:
        colour = {"found": "green", "missed": "red"}.get(result.status, "yellow")
        shown = result.status if result.status != "waiting" else "waiting for the detector"
        detail.add_row(result.scenario_id, result.type, result.detector, f"[{colour}]{shown}[/]")
    console.print(detail)
    found = sum(r.status == "found" for r in results)
    ready = [r for r in results if r.status != "waiting"]
    console.print(
        f"planted scenarios found: [bold]{found} of {len(results)}[/] "
        f"({found} of {len(ready)} whose detector exists; see firstline hits)"
    )
