"""Commands for watchlists and screening: import, list, history, screen, hits."""

from __future__ import annotations

import csv
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from firstline.cli.app import JsonOption, app, console, err, open_default_store, print_json
from firstline.cli.hits import notify_after_detection
from firstline.model.watchlist import (
    EntrySchema,
    ListedDate,
    ListedDocument,
    ListedName,
    ListEntry,
    NameKind,
)
from firstline.screening.matcher import Query
from firstline.services import watchlists as list_service
from firstline.services.screening import DEFAULT_THRESHOLD, ListedMatch, Screener
from firstline.watchlists.formats import FORMATS

watchlist_app = typer.Typer(
    help="Watchlists: import, inspect, switch on and off.", no_args_is_help=True
)
app.add_typer(watchlist_app, name="watchlist")


@watchlist_app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="Published list file(s).")],
    list_name: Annotated[str, typer.Option("--list", help="List to import into (created if new).")],
    format_name: Annotated[
        str, typer.Option("--format", help=f"One of: {', '.join(sorted(FORMATS))}.")
    ],
    category: Annotated[
        str | None,
        typer.Option(help=f"For a new list: {', '.join(list_service.CATEGORIES)}."),
    ] = None,
    severity: Annotated[str | None, typer.Option(help="For a new list: high, medium, low.")] = None,
    rescreen: Annotated[
        bool, typer.Option(help="Re-screen travellers of flights not yet arrived.")
    ] = True,
) -> None:
    """Import a published list file as a new version of a list, and say what changed."""
    store = open_default_store()
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]import"), BarColumn(), TextColumn("{task.completed} entries"),
        console=err, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("import", total=None)
        report = list_service.import_list(
            store,
            list_name,
            files,
            format_name,
            category=category,
            severity=severity,
            progress=lambda n: progress.update(task, completed=n),
        )
    seconds = time.perf_counter() - started
    table = Table(
        "list", "version", "format", "published", "entries", "added", "changed", "removed",
        "unchanged", "rejected", title="Watchlist import",
    )  # fmt: skip
    table.add_row(
        report.list_name,
        str(report.version),
        report.format,
        str(report.info.published or ""),
        *(
            str(v)
            for v in (
                report.entries,
                report.added,
                report.changed,
                report.removed,
                report.unchanged,
                report.rejected,
            )
        ),
    )
    console.print(table)
    console.print(f"imported in {seconds:.1f} s")
    for note in report.info.notes:
        console.print(f"note: {note}")
    if report.rejections:
        why = Table("where", "why", title=f"Rejected records (first 20 of {report.rejected})")
        for rejection in report.rejections[:20]:
            why.add_row(rejection.location, rejection.reason)
        console.print(why)
    if rescreen:
        summary = Screener(store).screen_pending(arriving_after=_now())
        console.print(
            f"re-screened {summary.screened} travellers of flights not yet arrived: "
            f"{summary.new_hits} new hits, {summary.withdrawn_hits} withdrawn"
        )
        notify_after_detection(store)


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


@watchlist_app.command("list")
def list_(as_json: JsonOption = False) -> None:
    """Lists with their category, severity, current version and entries."""
    rows = list_service.lists(open_default_store())
    if as_json:
        print_json(rows)
        return
    table = Table(
        "name", "category", "severity", "active", "version", "entries", "imported",
        "at the port", title="Watchlists",
    )  # fmt: skip
    for row in rows:
        table.add_row(
            row["name"],
            row["category"],
            row["severity"],
            "yes" if row["active"] else "no",
            str(row["version"] or ""),
            str(row["entries"]),
            f"{row['imported_at']:%Y-%m-%d %H:%M}" if row["imported_at"] else "",
            ", ".join(f"{n} {o.replace('_', ' ')}" for o, n in sorted(row["outcomes"].items())),
        )
    console.print(table)


@watchlist_app.command("history")
def history(
    list_name: Annotated[str, typer.Argument(help="List name.")],
    as_json: JsonOption = False,
) -> None:
    """Versions of a list: what each import added, changed, removed and rejected."""
    versions = list(list_service.history(open_default_store(), list_name))
    if as_json:
        print_json(versions)
        return
    table = Table(
        "version", "origin", "imported", "entries", "added", "changed", "removed", "rejected",
        title=f"History of {list_name}",
    )  # fmt: skip
    for v in versions:
        table.add_row(
            str(v["number"]),
            v["origin"],
            f"{v['imported_at']:%Y-%m-%d %H:%M}",
            *(str(v[k]) for k in ("entries", "added", "changed", "removed", "rejected")),
        )
    console.print(table)


@watchlist_app.command("add")
def add(
    list_name: Annotated[str, typer.Argument(help="List to add to (must exist).")],
    entry_id: Annotated[str, typer.Option("--id", help="Your id for the entry.")],
    surname: Annotated[str | None, typer.Option(help="Family name.")] = None,
    given_names: Annotated[str | None, typer.Option(help="Given names.")] = None,
    alias: Annotated[list[str] | None, typer.Option(help="Another name (repeatable).")] = None,
    dob: Annotated[str | None, typer.Option(help="YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    nationality: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3.")] = None,
    document: Annotated[str | None, typer.Option(help="Travel document number.")] = None,
    valid_to: Annotated[str | None, typer.Option(help="Last day the entry applies.")] = None,
    note: Annotated[str | None, typer.Option(help="Why the person is listed.")] = None,
) -> None:
    """Add or replace a manual entry (imports of the list leave manual entries alone)."""
    if not surname and not given_names and not document:
        raise typer.BadParameter("give --surname/--given-names or --document")
    names = []
    if surname or given_names:
        full = " ".join(p for p in (given_names, surname) if p)
        names.append(ListedName(full, given=given_names, family=surname))
    names += [ListedName(a, NameKind.ALIAS) for a in alias or []]
    birth = parse_birth_date(dob)
    entry = ListEntry(
        source_id=entry_id,
        schema=EntrySchema.PERSON if names else EntrySchema.DOCUMENT,
        names=names,
        birth_dates=[ListedDate.exact(birth) if isinstance(birth, date) else birth]
        if birth
        else [],
        nationalities=[nationality.upper()] if nationality else [],
        documents=[ListedDocument(document)] if document else [],
        valid_to=date.fromisoformat(valid_to) if valid_to else None,
        remarks=note,
    )
    store = open_default_store()
    version = list_service.add_entry(store, list_name, entry)
    console.print(f"{list_name}: entry {entry_id} saved as version {version}")
    summary = Screener(store).screen_pending(arriving_after=_now())
    console.print(
        f"re-screened {summary.screened} travellers of flights not yet arrived: "
        f"{summary.new_hits} new hits"
    )
    notify_after_detection(store)


@watchlist_app.command("activate")
def activate(list_name: Annotated[str, typer.Argument(help="List name.")]) -> None:
    """Screen against this list again."""
    list_service.set_active(open_default_store(), list_name, True)


@watchlist_app.command("deactivate")
def deactivate(list_name: Annotated[str, typer.Argument(help="List name.")]) -> None:
    """Stop screening against this list (its entries and history stay)."""
    list_service.set_active(open_default_store(), list_name, False)


def parse_birth_date(text: str | None) -> date | ListedDate | None:
    """YYYY-MM-DD, YYYY-MM or YYYY; anything else is an error the user sees."""
    if not text or not text.strip():
        return None
    value = text.strip()
    try:
        if len(value) == 4:
            return ListedDate(int(value))
        if len(value) == 7:
            return ListedDate(int(value[:4]), int(value[5:7]))
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"date of birth {value!r}: use YYYY-MM-DD, YYYY-MM or YYYY"
        ) from exc


def _warn_if_no_lists(store: Any, lists: list[str] | None) -> bool:
    """Say so when nothing is screened against: "no match" would read as a clean result."""
    loaded = [r for r in list_service.lists(store) if r["active"] and r["entries"]]
    if lists:
        loaded = [r for r in loaded if r["name"] in lists]
    if loaded:
        return False
    err.print(
        "[yellow]no active watchlist with entries"
        + (f" among {', '.join(lists)}" if lists else "")
        + "[/]: nothing was screened; import one with "
        "firstline watchlist import FILE --list NAME --format FORMAT"
    )
    return True


def _match_json(item: ListedMatch) -> dict[str, Any]:
    match = item.match
    return {
        "list": item.list_name,
        "source_id": match.subject.source_id,
        "entry_id": item.entry_id,
        "name": item.entry_name,
        "matched_name": match.listed_name,
        "score": match.score,
        "category": item.category,
        "severity": item.severity,
        "explanation": match.explanation(),
    }


@app.command()
def screen(
    name: Annotated[
        str | None, typer.Argument(help="Name to screen (any order, any script).")
    ] = None,
    dob: Annotated[
        str | None, typer.Option(help="Date of birth: YYYY-MM-DD, YYYY-MM or YYYY.")
    ] = None,
    nationality: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3.")] = None,
    gender: Annotated[str | None, typer.Option(help="M or F.")] = None,
    document: Annotated[str | None, typer.Option(help="Travel document number.")] = None,
    lists: Annotated[
        list[str] | None, typer.Option("--list", help="Only this list (repeatable).")
    ] = None,
    input_file: Annotated[
        Path | None,
        typer.Option("--input", help="Batch: CSV with name[, date_of_birth, nationality, id]."),
    ] = None,
    output: Annotated[Path | None, typer.Option(help="Batch: JSON lines to write.")] = None,
    top: Annotated[int, typer.Option(help="Matches per query.")] = 10,
    min_score: Annotated[
        float | None, typer.Option(help=f"Lowest score shown (default {DEFAULT_THRESHOLD}).")
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Batch: processes screening in parallel (cores).")
    ] = max(1, os.cpu_count() or 1),
    as_json: JsonOption = False,
) -> None:
    """Screen one name, or a CSV of names, against the watchlists, with explanations."""
    store = open_default_store()
    screener = Screener(store)
    threshold = DEFAULT_THRESHOLD if min_score is None else min_score
    if input_file is not None:
        if output is None:
            raise typer.BadParameter("--output is needed with --input")
        _warn_if_no_lists(store, lists)
        _screen_batch(screener, input_file, output, lists, top, threshold, workers)
        return
    if not name and not document:
        raise typer.BadParameter("give a NAME (or --document), or --input for a batch")
    query = Query(
        name=name,
        birth_date=parse_birth_date(dob),
        nationality=nationality,
        gender=gender,
        documents=((document, None),) if document else (),
    )
    matches = screener.screen_query(query, list_names=lists, top=top, min_score=threshold)
    if as_json:
        print_json([_match_json(m) for m in matches])
        return
    if not matches:
        if not _warn_if_no_lists(store, lists):
            console.print(f"no match at or above {threshold}")
        return
    for item in matches:
        m = item.match
        console.print(
            f"[bold]{m.score:.3f}[/]  {item.list_name} · {m.subject.source_id} · "
            f"{item.entry_name or ''} [dim]({item.category}, {item.severity})[/]"
        )
        for line in m.summary():
            console.print(f"        {line}")


# What forked batch workers read: set by the parent just before it forks (fork copies it).
_BATCH: dict[str, Any] = {}
_CHUNK = 500


def _screen_chunk(start: int) -> bytes:
    """JSON lines for queries [start, start + _CHUNK) of the batch being screened."""
    screen, queries, rows = _BATCH["screen"], _BATCH["queries"], _BATCH["rows"]
    lines = []
    for offset, query in enumerate(queries[start : start + _CHUNK]):
        matches = screen(query, _BATCH["top"], _BATCH["threshold"])
        row = rows[start + offset]
        line = {"id": row.get("id") or str(start + offset + 1),
                "matches": [_match_json(m) for m in matches]}  # fmt: skip
        lines.append(orjson.dumps(line))
    return b"\n".join(lines) + b"\n" if lines else b""


def _screen_batch(
    screener: Screener,
    input_file: Path,
    output: Path,
    lists: list[str] | None,
    top: int,
    threshold: float,
    workers: int,
) -> None:
    import gc
    import multiprocessing

    with input_file.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and "name" not in rows[0]:
        raise typer.BadParameter(f"{input_file} has no 'name' column")
    queries = [
        Query(
            name=row.get("name") or "",
            birth_date=parse_birth_date(row.get("date_of_birth")),
            nationality=(row.get("nationality") or None),
        )
        for row in rows
    ]
    started = time.perf_counter()
    _BATCH.update(screen=screener.prepared(list_names=lists), queries=queries, rows=rows,
                  top=top, threshold=threshold)  # fmt: skip
    built = time.perf_counter()
    starts = list(range(0, len(rows), _CHUNK))
    workers = max(1, min(workers, len(starts)))
    with output.open("wb") as out, Progress(
        TextColumn("[bold]screen"), BarColumn(), MofNCompleteColumn(), console=err,
        disable=len(rows) < 100,
    ) as progress:  # fmt: skip
        task = progress.add_task("screen", total=len(rows))
        if workers == 1:
            chunks: Any = map(_screen_chunk, starts)
            pool = None
        else:
            # Workers are forked after the index is built: they share it copy-on-write, and no
            # database connection crosses the fork (the screening function needs none).
            screener.store.dispose()
            gc.freeze()
            pool = multiprocessing.get_context("fork").Pool(workers)
            chunks = pool.imap(_screen_chunk, starts)
        try:
            for n, text in enumerate(chunks):
                out.write(text)
                progress.update(task, advance=min(_CHUNK, len(rows) - starts[n]))
        finally:
            if pool is not None:
                pool.close()
                pool.join()
    done = time.perf_counter()
    rate = len(rows) / (done - built) if done > built else 0.0
    print(
        f"screened {len(rows)} queries in {done - built:.1f} s ({rate:,.0f}/s, {workers} "
        f"worker(s)); index built in {built - started:.1f} s; results in {output}",
        file=sys.stderr,
    )
