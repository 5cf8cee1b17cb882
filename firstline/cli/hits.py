"""Commands for officers: hits, outcomes on them, travellers by total risk."""

from __future__ import annotations

from dataclasses import asdict
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from firstline.cli.app import JsonOption, app, console, open_default_store, print_json
from firstline.settings import get_settings
from firstline.store import Store

if TYPE_CHECKING:
    from firstline.services.notifications import NotifySummary


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
    inconclusive = "inconclusive"
    reopen = "reopen"


@app.command()
def decide(
    hit: Annotated[int, typer.Argument(help="Hit id (see firstline hits).")],
    outcome: Annotated[Outcome, typer.Argument(help="The officer's disposition, or reopen.")],
    reason: Annotated[str, typer.Option(help="Why: recorded with the decision.")],
) -> None:
    """Record an officer's disposition on a hit, through the same review workflow and audit
    trail as the web interface; it feeds rule precision and the risk score."""
    import getpass

    from firstline.cases.access import command_line_actor
    from firstline.services import cases

    actor = command_line_actor(getpass.getuser())
    if outcome is Outcome.reopen:
        done = cases.decide(open_default_store(), actor, [hit], "reopen", reason=reason)
    else:
        done = cases.decide(
            open_default_store(), actor, [hit], "dispose", disposition=outcome.value, reason=reason
        )
    console.print(f"hit {hit}: {done[0]['state'].replace('_', ' ')} ({done[0]['status']})")


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


@app.command()
def notify(as_json: JsonOption = False) -> None:
    """E-mail the duty team the hits not yet sent (and those whose sending failed)."""
    from firstline.services.notifications import notify_new_hits

    settings = get_settings()
    if not settings.notifications_enabled:
        console.print(
            "[yellow]e-mail notifications are not configured[/]: set FIRSTLINE_SMTP_HOST and "
            "FIRSTLINE_DUTY_TEAM (see docs/settings.md); nothing was sent"
        )
        raise typer.Exit(1)
    summary = notify_new_hits(open_default_store(settings), settings)
    if as_json:
        print_json(asdict(summary))
    else:
        print_notify_summary(summary)
    if summary.failed:  # for a scheduler: the duty team has not been told
        raise typer.Exit(1)


def notify_after_detection(store: Store) -> None:
    """After ingest or a re-screen: tell the duty team of new hits, when SMTP is configured.

    Never fails the command that found the hits: a send that fails is recorded and retried.
    """
    from firstline.services.notifications import notify_if_enabled

    summary = notify_if_enabled(store, get_settings())
    if summary is not None:
        print_notify_summary(summary)


def print_notify_summary(summary: NotifySummary) -> None:
    if not summary.hits:
        console.print("notifications: no new hits to send")
    elif summary.failed:
        console.print(
            f"[red]notifications: {_hits(summary.failed)} not sent[/] ({summary.error}); "
            "retried on the next run or with [bold]firstline notify[/]"
        )
    else:
        again = f", {summary.retried} of them retried" if summary.retried else ""
        console.print(
            f"notifications: {_hits(summary.sent)} e-mailed to {summary.recipients} "
            f"duty team addresses{again}"
        )
        if summary.error:
            console.print(f"[yellow]notifications: {summary.error}[/]")


def _hits(count: int) -> str:
    return f"{count} hit" if count == 1 else f"{count} hits"
