"""Commands about received messages: parse, ingest, quarantine."""

from __future__ import annotations

import getpass
import json
import time
from collections import Counter
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
    JsonOption,
    app,
    console,
    err,
    open_default_store,
    print_json,
)
from firstline.cli.hits import notify_after_detection
from firstline.services import identity, overview
from firstline.services import quarantine as quarantine_service
from firstline.services.ingest import IngestSummary, Outcome, ingest_paths, iter_files
from firstline.services.links import LinkDetector
from firstline.services.parsing import parse_files, parse_report
from firstline.services.rules import Evaluator
from firstline.services.screening import Screener
from firstline.settings import get_settings
from firstline.store import Store


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


# Loaded deliveries between two runs of the detectors during `firstline ingest`.
DETECT_EVERY = 100


def run_ingest(store: Store, paths: list[Path]) -> IngestSummary:
    total = sum(1 for _ in iter_files(paths))
    columns = (
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[hits]} hits"),
        TextColumn("{task.fields[status]}"),
    )
    with Progress(*columns, console=err, transient=False, disable=total < 2) as progress:
        task = progress.add_task("ingest", total=total, status="", hits=0)

        def tick(path: Path, outcome: Outcome) -> None:
            progress.update(task, advance=1, status=f"{outcome.status}: {path.name}"[:60])

        options = get_settings().parse_options()
        screener = Screener(store)
        evaluator = Evaluator(store)
        linker = LinkDetector(store, card_key=options.card_key)

        pending: dict[int, None] = {}  # flights touched since the last detection, in order
        loaded = 0

        def detect() -> None:
            flight_ids = list(pending)
            pending.clear()
            # Seconds on a busy day: say so rather than leave the last file's name showing.
            progress.update(task, status=f"screening, rules, links: {len(flight_ids)} flights")
            identity.resolve(store, flight_ids)
            screened = screener.screen_pending(flight_ids=flight_ids)
            ruled = evaluator.evaluate_flights(flight_ids)
            linked = linker.evaluate_flights(flight_ids)
            found = screened.new_hits + ruled.new_hits + linked.new_hits
            progress.update(task, hits=progress.tasks[0].fields["hits"] + found)

        def screen(outcome: Outcome) -> None:
            # Screening, rules and links run on the flights the deliveries touched, every
            # DETECT_EVERY loaded deliveries and at the end: a flight's pushes in one batch
            # (PNR at T-72, T-24, T-2 h, API at check-in) are then evaluated once, on the
            # data as it stands, instead of once per push.
            nonlocal loaded
            pending.update(dict.fromkeys(outcome.flight_ids))
            loaded += 1
            if loaded % DETECT_EVERY == 0:
                detect()

        summary = ingest_paths(store, paths, progress=tick, options=options, on_loaded=screen)
        if pending:
            detect()
    # Once per run, after every delivery's detectors: one e-mail, not one per message.
    notify_after_detection(store)
    return summary


def print_summary(summary: IngestSummary, seconds: float) -> None:
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
    """Load messages into the store: duplicates are skipped, bad messages quarantined.

    Identity, screening, rules and links run on the flights loaded, every 100 deliveries and
    at the end."""
    store = open_default_store()
    started = time.perf_counter()
    summary = run_ingest(store, paths)
    print_summary(summary, time.perf_counter() - started)


@app.command()
def quarantine(
    show: Annotated[int | None, typer.Option(help="Show one message's reason in full.")] = None,
    limit: Annotated[int, typer.Option(help="How many to list.")] = 50,
    reprocess: Annotated[
        list[int] | None,
        typer.Option(help="Run this message's stored bytes through the parsers again."),
    ] = None,
    all_reason: Annotated[
        str | None,
        typer.Option(help="Re-process every message quarantined for this reason."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List quarantined messages and why they were set aside, or re-process them."""
    store = open_default_store()
    if reprocess or all_reason is not None:
        run_reprocess(store, reprocess or [], all_reason, as_json=as_json)
        return
    if show is not None:
        print_json(overview.quarantined_message(store, show))
        return
    rows = overview.quarantined(store, limit=limit)
    if as_json:
        print_json(rows)
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


def run_reprocess(store: Store, ids: list[int], reason: str | None, *, as_json: bool) -> None:
    """Re-process quarantined messages as the web's button does: loaded ones are screened,
    evaluated and linked like a fresh ingest, every attempt is audited."""
    actor = command_line_actor(getpass.getuser())
    options = get_settings().parse_options()
    after = quarantine_service.detectors(store, options)
    if reason is not None:
        done = quarantine_service.reprocess_reason(
            store, actor, reason, options=options, after_load=after
        )
    else:
        done = quarantine_service.reprocess(store, actor, ids, options=options, after_load=after)
    if any(r.new_hits for r in done):
        notify_after_detection(store)
    if as_json:
        print_json([r.as_dict() for r in done])
        return
    table = Table("id", "status", "new hits", "reason", title="Re-processed")
    for r in done:
        table.add_row(str(r.message_id), r.status, str(r.new_hits), r.reason or "")
    console.print(table)
