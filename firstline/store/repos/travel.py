"""Flights, legs, travellers and documents.

A later push for the same flight updates its travellers in place (matched on
`Traveller.identity_key`) and records each changed field in `traveller_changes`, so nothing
is overwritten silently. Rows are written in batches: a large manifest is a few statements,
not one per person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, select

from firstline.model.serialize import to_plain
from firstline.model.travel import Flight, PassengerList, Traveller, TravellerRole
from firstline.store.db import bulk_insert
from firstline.store.tables import (
    flight_legs,
    flights,
    messages,
    travel_documents,
    traveller_changes,
    travellers,
)

# Columns compared between pushes; a difference becomes a traveller_changes row.
_TRACKED = (
    "role",
    "surname",
    "given_names",
    "gender",
    "date_of_birth",
    "nationality",
    "country_of_residence",
    "place_of_birth",
    "port_of_embarkation",
    "port_of_debarkation",
    "place_of_clearance",
    "booking_reference",
    "passenger_reference",
    "seat",
    "ticket_number",
    "checked_bags",
    "bag_weight_kg",
    "document_verified",
    "crew_function",
    "details",
)


@dataclass(slots=True)
class ApplyResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    boarded: int = 0


def upsert_flight(conn: Connection, message: PassengerList, now: datetime) -> int:
    """Id of the message's flight, created or refreshed from the message."""
    flight = message.flight
    assert flight is not None  # callers check Flight.is_identified first
    values: dict[str, Any] = {
        "carrier": flight.carrier,
        "number": flight.number,
        "origin": flight.origin,
        "destination": flight.destination,
        "departure_date": flight.departure_date,
        "scheduled_departure": flight.scheduled_departure,
        "scheduled_arrival": flight.scheduled_arrival,
        "updated_at": now,
    }
    if message.is_crew_list:
        values["declared_crew"] = message.declared_crew
    elif message.declared_passengers is not None:
        values["declared_passengers"] = message.declared_passengers
    key = flight.key()
    existing = conn.execute(select(flights.c.id).where(flights.c.flight_key == key)).first()
    if existing is not None:
        flight_id = int(existing.id)
        values = {k: v for k, v in values.items() if v is not None}
        conn.execute(flights.update().where(flights.c.id == flight_id).values(**values))
        conn.execute(flight_legs.delete().where(flight_legs.c.flight_id == flight_id))
    else:
        inserted = conn.execute(
            flights.insert()
            .values(flight_key=key, created_at=now, **values)
            .returning(flights.c.id)
        )
        flight_id = int(inserted.scalar_one())
    _write_legs(conn, flight_id, flight)
    return flight_id


def _write_legs(conn: Connection, flight_id: int, flight: Flight) -> None:
    rows = [
        {
            "flight_id": flight_id,
            "sequence": position,
            "carrier": leg.carrier,
            "flight_designator": leg.flight_designator,
            "departure_airport": leg.departure_airport,
            "arrival_airport": leg.arrival_airport,
            "scheduled_departure": leg.scheduled_departure,
            "scheduled_arrival": leg.scheduled_arrival,
        }
        for position, leg in enumerate(flight.legs, start=1)
    ]
    if rows:
        conn.execute(flight_legs.insert(), rows)


def _traveller_row(traveller: Traveller) -> dict[str, Any]:
    # Built by hand rather than through `to_plain`: this runs once per traveller on ingest.
    details: dict[str, Any] = {}
    address = traveller.address
    if address is not None:
        details["address"] = {
            "street": address.street,
            "city": address.city,
            "region": address.region,
            "postcode": address.postcode,
            "country": address.country,
        }
    if traveller.contacts:
        details["contacts"] = [{"kind": c.kind, "value": c.value} for c in traveller.contacts]
    if traveller.bag_tags:
        details["bag_tags"] = [
            {"first_tag": t.first_tag, "count": t.count} for t in traveller.bag_tags
        ]
    if traveller.other_references:
        details["other_references"] = dict(traveller.other_references)
    return {
        "identity_key": traveller.identity_key(),
        "role": traveller.role.value,
        "surname": traveller.surname,
        "given_names": traveller.given_names,
        "gender": traveller.gender,
        "date_of_birth": traveller.date_of_birth,
        "nationality": traveller.nationality,
        "country_of_residence": traveller.country_of_residence,
        "place_of_birth": traveller.place_of_birth,
        "port_of_embarkation": traveller.port_of_embarkation,
        "port_of_debarkation": traveller.port_of_debarkation,
        "place_of_clearance": traveller.place_of_clearance,
        "booking_reference": traveller.booking_reference,
        "passenger_reference": traveller.passenger_reference,
        "seat": traveller.seat,
        "ticket_number": traveller.ticket_number,
        "checked_bags": traveller.checked_bags,
        "bag_weight_kg": traveller.bag_weight_kg,
        "document_verified": traveller.document_verified,
        "crew_function": traveller.crew_function,
        "details": details or None,
    }


def _document_rows(
    traveller_id: int, traveller: Traveller, message_id: int
) -> list[dict[str, Any]]:
    return [
        {
            "traveller_id": traveller_id,
            "sequence": position,
            "type": document.type,
            "number": document.number,
            "issuing_country": document.issuing_country,
            "issuing_place": document.issuing_place,
            "expiry_date": document.expiry_date,
            "issue_date": document.issue_date,
            "message_id": message_id,
        }
        for position, document in enumerate(traveller.documents, start=1)
    ]


def apply_travellers(
    conn: Connection,
    flight_id: int,
    people: list[Traveller],
    *,
    message_id: int,
    now: datetime,
) -> ApplyResult:
    """Insert new travellers of a flight and update known ones, recording what changed."""
    result = ApplyResult()
    rows: dict[str, tuple[dict[str, Any], Traveller]] = {}
    for traveller in people:
        row = _traveller_row(traveller)
        # A person listed twice in one delivery (e.g. repeated part) counts once: last wins.
        rows[row["identity_key"]] = (row, traveller)
    existing = _existing(conn, flight_id, list(rows))
    fresh = [(row, t) for key, (row, t) in rows.items() if key not in existing]
    if fresh:
        _insert_new(conn, flight_id, fresh, message_id=message_id, now=now)
        result.added = len(fresh)
    for key, (row, traveller) in rows.items():
        if key not in existing:
            continue
        old = existing[key]
        changes = [
            (name, old[name], row[name]) for name in _TRACKED if _differs(old[name], row[name])
        ]
        documents = _document_rows(int(old["id"]), traveller, message_id)
        stored = _stored_documents(conn, int(old["id"]))
        received = [tuple(d[f] for f in _DOCUMENT_FIELDS) for d in documents]
        if stored != received:
            changes.append(("documents", _documents_text(stored), _documents_text(received)))
        if not changes:
            result.unchanged += 1
            continue
        _update_one(
            conn,
            int(old["id"]),
            row,
            changes,
            documents,
            message_id=message_id,
            now=now,
        )
        result.updated += 1
    return result


def apply_close_out(
    conn: Connection,
    flight_id: int,
    people: list[Traveller],
    *,
    message_id: int,
    now: datetime,
) -> ApplyResult:
    """A close-out (BGM+266) lists who is on board, often as unnamed `NAD+ZZZ` references.

    Unnamed people known from an earlier list are marked boarded and keep their data; named
    ones are applied as usual and marked; unknown unnamed references are kept as unnamed
    travellers so the evidence is not lost.
    """
    unnamed = [t for t in people if t.role is TravellerRole.UNNAMED]
    named = [t for t in people if t.role is not TravellerRole.UNNAMED]
    known = _existing(conn, flight_id, [t.identity_key() for t in unnamed])
    unknown = [t for t in unnamed if t.identity_key() not in known]
    result = apply_travellers(conn, flight_id, named + unknown, message_id=message_id, now=now)
    keys = list(known) + [t.identity_key() for t in named]
    ids = list(_ids_by_key(conn, flight_id, keys).values())
    for start in range(0, len(ids), 900):
        conn.execute(
            travellers.update()
            .where(travellers.c.id.in_(ids[start : start + 900]))
            .values(boarded_message_id=message_id, updated_at=now)
        )
    result.boarded = len(ids)
    return result


def _differs(old: Any, new: Any) -> bool:
    return old != new and not (old is None and new in ("", {}, []))


def _existing(conn: Connection, flight_id: int, keys: list[str]) -> dict[str, dict[str, Any]]:
    if not keys:
        return {}
    columns = [travellers.c.id, travellers.c.identity_key] + [travellers.c[n] for n in _TRACKED]
    found: dict[str, dict[str, Any]] = {}
    # Chunked to stay inside SQLite's bound-parameter limit on very large manifests.
    for start in range(0, len(keys), 900):
        chunk = keys[start : start + 900]
        rows = conn.execute(
            select(*columns).where(
                travellers.c.flight_id == flight_id,
                travellers.c.identity_key.in_(chunk),
            )
        )
        for row in rows:
            found[row.identity_key] = dict(row._mapping)
    return found


def _insert_new(
    conn: Connection,
    flight_id: int,
    fresh: list[tuple[dict[str, Any], Traveller]],
    *,
    message_id: int,
    now: datetime,
) -> None:
    stamp = {
        "flight_id": flight_id,
        "first_message_id": message_id,
        "last_message_id": message_id,
        "created_at": now,
        "updated_at": now,
    }
    # A plain executemany, then one look-up of the new ids, is several times faster than
    # INSERT .. RETURNING row by row through the ORM-neutral insertmanyvalues path.
    bulk_insert(conn, travellers, [{**row, **stamp} for row, _ in fresh])
    ids = _ids_by_key(conn, flight_id, [row["identity_key"] for row, _ in fresh])
    documents: list[dict[str, Any]] = []
    for row, traveller in fresh:
        documents.extend(_document_rows(ids[row["identity_key"]], traveller, message_id))
    bulk_insert(conn, travel_documents, documents)


def _ids_by_key(conn: Connection, flight_id: int, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), 900):
        rows = conn.execute(
            select(travellers.c.id, travellers.c.identity_key).where(
                travellers.c.flight_id == flight_id,
                travellers.c.identity_key.in_(keys[start : start + 900]),
            )
        )
        found.update((str(key), int(traveller_id)) for traveller_id, key in rows)
    return found


_DOCUMENT_FIELDS = (
    "type",
    "number",
    "issuing_country",
    "issuing_place",
    "expiry_date",
    "issue_date",
)


def _stored_documents(conn: Connection, traveller_id: int) -> list[tuple[Any, ...]]:
    stored = conn.execute(
        select(*[travel_documents.c[f] for f in _DOCUMENT_FIELDS])
        .where(travel_documents.c.traveller_id == traveller_id)
        .order_by(travel_documents.c.sequence)
    ).all()
    return [tuple(r) for r in stored]


def _documents_text(documents: list[tuple[Any, ...]]) -> str:
    return "; ".join("/".join("" if v is None else str(v) for v in d) for d in documents)


def _update_one(
    conn: Connection,
    traveller_id: int,
    row: dict[str, Any],
    changes: list[tuple[str, Any, Any]],
    documents: list[dict[str, Any]],
    *,
    message_id: int,
    now: datetime,
) -> None:
    values = {k: v for k, v in row.items() if k != "identity_key"}
    conn.execute(
        travellers.update()
        .where(travellers.c.id == traveller_id)
        .values(last_message_id=message_id, updated_at=now, **values)
    )
    conn.execute(travel_documents.delete().where(travel_documents.c.traveller_id == traveller_id))
    if documents:
        conn.execute(travel_documents.insert(), documents)
    if changes:
        conn.execute(
            traveller_changes.insert(),
            [
                {
                    "traveller_id": traveller_id,
                    "message_id": message_id,
                    "field": name,
                    "old_value": None if old is None else str(to_plain(old)),
                    "new_value": None if new is None else str(to_plain(new)),
                    "changed_at": now,
                }
                for name, old, new in changes
            ],
        )


def list_flights(conn: Connection) -> list[dict[str, Any]]:
    """Flights with traveller counts by role and the parts of their API series."""
    counts = (
        select(
            travellers.c.flight_id,
            func.count().label("travellers"),
            func.sum(case((travellers.c.role.in_(["crew", "in_transit_crew"]), 1), else_=0)).label(
                "crew"
            ),
        )
        .group_by(travellers.c.flight_id)
        .subquery()
    )
    message_counts = (
        select(messages.c.flight_id, func.count().label("messages"))
        .where(messages.c.status == "loaded")
        .group_by(messages.c.flight_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            flights,
            func.coalesce(counts.c.travellers, 0).label("travellers"),
            func.coalesce(counts.c.crew, 0).label("crew"),
            func.coalesce(message_counts.c.messages, 0).label("messages"),
        )
        .select_from(
            flights.outerjoin(counts, counts.c.flight_id == flights.c.id).outerjoin(
                message_counts, message_counts.c.flight_id == flights.c.id
            )
        )
        .order_by(flights.c.scheduled_departure, flights.c.carrier, flights.c.number)
    )
    return [dict(row._mapping) for row in rows]


def series_status(conn: Connection) -> dict[int, str]:
    """Per flight, the state of its multi-part API series: `3/3`, or `1,3 of 3 (missing 2)`."""
    rows = conn.execute(
        select(
            messages.c.flight_id,
            messages.c.series_key,
            messages.c.part_number,
            messages.c.is_last_part,
        ).where(messages.c.status == "loaded", messages.c.series_key.is_not(None))
    )
    series: dict[tuple[int, str], tuple[set[int], int | None]] = {}
    for flight_id, key, part, is_last in rows:
        parts, final = series.get((flight_id, key), (set(), None))
        parts.add(int(part or 0))
        series[(flight_id, key)] = (parts, int(part or 0) if is_last else final)
    status: dict[int, str] = {}
    for (flight_id, _key), (parts, final) in sorted(series.items()):
        top = final or max(parts)
        missing = sorted(set(range(1, top + 1)) - parts)
        text = f"{len(parts)}/{final}" if final else f"{len(parts)}/? (no final part)"
        if missing:
            text += " (missing " + ",".join(map(str, missing)) + ")"
        status[flight_id] = text if flight_id not in status else status[flight_id] + "; " + text
    return status


def find_flights(conn: Connection, designator: str) -> list[dict[str, Any]]:
    """Flights whose carrier+number or id matches `designator` (e.g. `BA117`, `BA0117`, `42`)."""
    query = select(flights)
    if designator.isdigit():
        query = query.where(flights.c.id == int(designator))
    else:
        cleaned = designator.upper().replace(" ", "")
        carrier, number = cleaned[:2], cleaned[2:].lstrip("0")
        query = query.where(flights.c.carrier == carrier, flights.c.number == number)
    return [dict(row._mapping) for row in conn.execute(query.order_by(flights.c.id))]


def list_travellers(conn: Connection, flight_id: int) -> list[dict[str, Any]]:
    """Travellers of a flight with their first document."""
    first_document = (
        select(
            travel_documents.c.traveller_id,
            travel_documents.c.type.label("document_type"),
            travel_documents.c.number.label("document_number"),
            travel_documents.c.issuing_country.label("document_country"),
            travel_documents.c.expiry_date.label("document_expiry"),
        )
        .where(travel_documents.c.sequence == 1)
        .subquery()
    )
    rows = conn.execute(
        select(travellers, first_document)
        .select_from(
            travellers.outerjoin(first_document, first_document.c.traveller_id == travellers.c.id)
        )
        .where(travellers.c.flight_id == flight_id)
        .order_by(travellers.c.role, travellers.c.surname, travellers.c.given_names)
    )
    return [dict(row._mapping) for row in rows]


def traveller_changes_of(conn: Connection, traveller_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(traveller_changes)
        .where(traveller_changes.c.traveller_id == traveller_id)
        .order_by(traveller_changes.c.id)
    )
    return [dict(row._mapping) for row in rows]


def counts(conn: Connection) -> dict[str, int]:
    return {
        "flights": int(conn.execute(select(func.count()).select_from(flights)).scalar_one()),
        "travellers": int(conn.execute(select(func.count()).select_from(travellers)).scalar_one()),
        "documents": int(
            conn.execute(select(func.count()).select_from(travel_documents)).scalar_one()
        ),
    }
