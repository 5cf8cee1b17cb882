"""Commands for link analysis: networks, identity across flights, graph exports."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from firstline.cli.app import JsonOption, app, console, open_default_store, print_json


@app.command()
def links(
    traveller: Annotated[int, typer.Argument(help="Traveller id (see firstline travellers).")],
    hops: Annotated[int, typer.Option(min=1, max=4, help="How many steps to follow.")] = 2,
    to: Annotated[
        int | None, typer.Option(help="Another traveller: the shortest connection to them.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Who a traveller is connected to: shared bookings, seats, phones, e-mails, cards,
    documents and agencies."""
    from firstline.services import links as link_service

    store = open_default_store()
    if to is not None:
        path = link_service.connection(store, traveller, to)
        if as_json:
            print_json(path)
            return
        if path is None:
            console.print(f"no connection between {traveller} and {to} within 6 steps")
            return
        for step in path:
            console.print(
                f"  {step['hops']}. traveller {step['traveller_id']} via {step['via']} "
                f"{step['value']}"
            )
        return
    found = link_service.network(store, traveller, hops=hops)
    if as_json:
        print_json(found)
        return
    table = Table("traveller", "hops", "via", "shared", title=f"Network of traveller {traveller}")
    for link in found["links"]:
        table.add_row(str(link["traveller_id"]), str(link["hops"]), link["via"], link["value"])
    console.print(table)
    for damped in found["damped"]:
        console.print(
            f"not followed: {damped['kind']} {damped['value']} is shared by "
            f"{damped['travellers']} travellers (an agency or call-centre identifier)"
        )


class GraphFormat(StrEnum):
    graphml = "graphml"
    neo4j = "neo4j"
    ftm = "ftm"


@app.command("export-graph")
def export_graph(
    out: Annotated[Path, typer.Argument(help="File (GraphML, FtM) or folder (Neo4j CSVs).")],
    format_name: Annotated[GraphFormat, typer.Option("--format", help="Output format.")] = (
        GraphFormat.graphml
    ),
    flight: Annotated[list[int] | None, typer.Option(help="Only these flights.")] = None,
) -> None:
    """Write the link graph for other tools (internal ids and masked identifiers, no names)."""
    from firstline.services import links as link_service

    nodes, edges = link_service.export_graph(
        open_default_store(), format_name.value, out, flight_ids=flight or None
    )
    console.print(f"{format_name.value}: {nodes} nodes, {edges} edges written to {out}")


identity_app = typer.Typer(help="Who is who across flights: show, resolve, merge, split.",
                           no_args_is_help=True)  # fmt: skip
app.add_typer(identity_app, name="identity")


@identity_app.command("show")
def identity_show(
    traveller: Annotated[int, typer.Argument(help="Traveller id.")],
    as_json: JsonOption = False,
) -> None:
    """The person a traveller is: every flight, and why each is theirs."""
    from firstline.services import identity

    found = identity.history(open_default_store(), traveller)
    if as_json:
        print_json(found)
        return
    table = Table("traveller", "flight", "date", "why", "score", "analyst",
                  title=f"Person {found['person_id']}")  # fmt: skip
    for trip in found["trips"]:
        table.add_row(
            str(trip["traveller_id"]), trip["flight_key"], str(trip["departure_date"] or ""),
            trip["reason"], f"{trip['score']:.2f}", "yes" if trip["decided"] else "",
        )  # fmt: skip
    console.print(table)
    for mate in found["co_travellers"][:20]:
        console.print(
            f"travelled with person {mate['person_id']} on {mate['flights_together']} flight(s)"
        )


@identity_app.command("resolve")
def identity_resolve() -> None:
    """Link every traveller not linked yet (ingest does this as messages arrive)."""
    from firstline.services import identity

    summary = identity.resolve(open_default_store())
    console.print(
        f"linked {summary.linked} travellers: {summary.by_document} by document, "
        f"{summary.by_name} by name and date of birth, {summary.new_persons} new persons"
    )


@identity_app.command("merge")
def identity_merge(
    keep: Annotated[int, typer.Argument(help="Traveller whose person stays.")],
    other: Annotated[int, typer.Argument(help="Traveller who is the same person.")],
    note: Annotated[str | None, typer.Option(help="Why (kept with the decision).")] = None,
) -> None:
    """Record that two travellers are one person."""
    from firstline.services import identity

    person = identity.merge(open_default_store(), keep, other, note)
    console.print(f"travellers {keep} and {other} are person {person}")


@identity_app.command("split")
def identity_split(
    traveller: Annotated[int, typer.Argument(help="Traveller who is someone else.")],
    note: Annotated[str | None, typer.Option(help="Why (kept with the decision).")] = None,
) -> None:
    """Record that a traveller is not the person they were linked to."""
    from firstline.services import identity

    person = identity.split(open_default_store(), traveller, note)
    console.print(f"traveller {traveller} is now person {person}")
