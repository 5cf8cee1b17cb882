"""Commands for officers: hits, outcomes on them, travellers by total risk."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from firstline.cli.app import JsonOption, app, console, open_default_store, print_json


@app.command()
def hits(
    flight: Annotated[int | None, typer.Option(help="Only this flight id.")] = None,
    status: Annotated[str | None, typer.Option(help="open, confirmed, false_positive.")] = None,
    limit: Annotated[int, typer.Option(help="How many to show.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Hits on travellers, highest score first, with their reasons."""
    from firstline.services import overview

    rows = overview.hits(open_default_store(), flight_id=flight, status=status, limit=limit)
    if as_json:
        print_json(rows)
        return
    table = Table("id", "flight", "traveller", "score", "severity", "title", "why", title="Hits")
    for row in rows:
        summary = row["explanation"].get("summary", [])
        table.add_row(
            str(row["id"]),
            row["flight_key"],
            f"{row['surname'] or ''}, {row['given_names'] or ''}",
            f"{row['score']:.3f}",
            row["severity"],
            row["title"],
            " ".join(summary[:3]),
        )
    console.print(table)


class Outcome(StrEnum):
    confirmed = "confirmed"
    false_positive = "false_positive"
    open = "open"
    closed = "closed"


@app.command()
def decide(
    hit: Annotated[int, typer.Argument(help="Hit id (see firstline hits).")],
    outcome: Annotated[Outcome, typer.Argument(help="What the officer found.")],
) -> None:
    """Record an officer's outcome on a hit: it feeds rule precision and the risk score."""
    from firstline.services import overview

    overview.decide(open_default_store(), hit, outcome.value)
    console.print(f"hit {hit}: {outcome.value}")


@app.command()
def risk(
    flight: Annotated[int | None, typer.Option(help="Only this flight id.")] = None,
    limit: Annotated[int, typer.Option(help="How many travellers to show.")] = 30,
    as_json: JsonOption = False,
) -> None:
    """Travellers by total risk: watchlist and rule hits combined (false positives left out)."""
    from firstline.services import overview

    rows = overview.risk(open_default_store(), flight_id=flight, limit=limit)
    if as_json:
        print_json(rows)
        return
    table = Table("traveller", "flight", "name", "risk", "because", title="Travellers by risk")
    for row in rows:
        reasons = "; ".join(f"{h['title']} ({h['weight']:.2f})" for h in row["hits"][:3])
        table.add_row(
            str(row["traveller_id"]),
            row["flight"],
            f"{row['surname'] or ''}, {row['given_names'] or ''}",
            f"{row['score']:.0f}",
            reasons,
        )
    console.print(table)
