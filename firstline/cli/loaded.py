"""Commands that show what is loaded: flights, travellers, bookings."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from firstline.cli.app import (
    JsonOption,
    app,
    console,
    open_default_store,
    print_json,
    when,
)
from firstline.services import overview


@app.command()
def flights(
    as_json: JsonOption = False,
    limit: Annotated[int | None, typer.Option(help="Show only the first N flights.")] = None,
) -> None:
    """Flights loaded, with travellers and declared totals."""
    rows = overview.flights(open_default_store())
    if as_json:
        print_json(rows[:limit])
        return
    shown, hidden = rows[:limit], rows[limit:] if limit is not None else []
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
    for row in shown:
        passengers = int(row["travellers"]) - int(row["crew"])
        table.add_row(
            str(row["id"]),
            f"{row['carrier'] or '??'}{row['number'] or '?'}",
            row["origin"] or "",
            row["destination"] or "",
            when(row["scheduled_departure"]),
            when(row["scheduled_arrival"]),
            str(passengers),
            str(row["crew"]),
            "" if row["declared_passengers"] is None else str(row["declared_passengers"]),
            str(row["messages"]),
            row["api_parts"] or "",
        )
    console.print(table)
    if hidden:
        console.print(f"... and {len(hidden)} more flights: firstline flights")


@app.command()
def travellers(
    flight: Annotated[str, typer.Option("--flight", "-f", help="Flight id or designator.")],
    as_json: JsonOption = False,
) -> None:
    """Travellers of a flight (personal data: shown to the operator, never logged)."""
    listing = overview.travellers_of(open_default_store(), flight)
    if as_json:
        print_json([{"flight": item, "travellers": rows} for item, rows in listing])
        return
    for item, rows in listing:
        title = (
            f"{item['carrier']}{item['number']} {item['origin']}-{item['destination']} "
            f"{when(item['scheduled_departure'])}"
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
    listing = overview.bookings_of(open_default_store(), flight)
    if as_json:
        print_json([{"flight": item, "bookings": rows} for item, rows in listing])
        return
    for item, rows in listing:
        table = Table(
            "locator", "created", "last change", "agency", "travellers", "itinerary",
            "payments", "contacts", "removed",
            title=f"{item['carrier']}{item['number']} {when(item['scheduled_departure'])}",
        )  # fmt: skip
        for row in rows:
            details = row["details"] or {}
            agency = row["agency"] or {}
            table.add_row(
                row["record_locator"] or "",
                when(row["created_at"]),
                when(row["last_modified"]),
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
