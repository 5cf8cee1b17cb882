"""Bookings (PNR): one row per booking across pushes, with its pivots in their own tables.

A later push replaces the booking's itinerary, contacts and payments and records, per
section, what changed in `booking_changes`. A push older than what is stored (pushes
arrive out of order) does not roll the booking back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, delete, select

from firstline.model.booking import Booking
from firstline.store.db import bulk_insert
from firstline.store.tables import (
    booking_changes,
    booking_contacts,
    booking_flights,
    booking_legs,
    bookings,
    payments,
)
from firstline.store.upsert import upsert_many

# Sections compared between pushes; each difference is one booking_changes row.
_SECTIONS = (
    "agency",
    "itinerary",
    "contacts",
    "payments",
    "tickets",
    "special_requests",
    "remarks",
    "history",
    "travellers",
    "check_ins",
    "split_from",
    "locators",
    "addresses",
)


@dataclass(slots=True)
class BookingResult:
    booking_id: int
    created: bool
    changes: list[str] = field(default_factory=list)
    stale: bool = False  # an older push than the stored one: not applied


def _sections(booking: Booking) -> dict[str, Any]:
    """The booking's parts as stored in `details`: dataclasses, serialised by the engine."""
    return {
        "agency": booking.agency,
        "itinerary": booking.itinerary,
        "contacts": booking.contacts,
        # Only what the store keeps of a payment: never a card number (the model has none).
        "payments": booking.payments,
        "tickets": booking.tickets,
        "special_requests": booking.special_requests,
        "remarks": booking.remarks,
        "history": booking.history,
        "travellers": [
            {"surname": t.surname, "given_names": t.given_names, "reference": t.reference}
            for t in booking.travellers
        ],
        "check_ins": booking.check_ins,
        "split_from": booking.split_from,
        "locators": booking.locators,
        "addresses": booking.addresses,
    }


def _json(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def upsert_bookings(
    conn: Connection,
    pushed: list[Booking],
    *,
    flight_id: int,
    message_id: int,
    now: datetime,
) -> list[BookingResult]:
    """Store the bookings of one push for `flight_id`, in batches; results in input order."""
    latest: dict[str, Booking] = {}
    for booking in pushed:
        latest[booking.key()] = booking  # a booking repeated within one push: last wins
    keys = list(latest)
    stored = _stored(conn, keys)
    fresh = [k for k in keys if k not in stored]
    ids: dict[str, int] = {}
    if fresh:
        bulk_insert(conn, bookings, [_new_row(latest[k], k, message_id, now) for k in fresh])
        ids = _ids(conn, fresh)
    results: dict[str, BookingResult] = {k: BookingResult(ids[k], created=True) for k in fresh}
    replaced: list[int] = []
    updates: list[dict[str, Any]] = []
    for key, (booking_id, last_modified, old, removed) in stored.items():
        booking = latest[key]
        result = results[key] = BookingResult(booking_id, created=False)
        if last_modified is not None and booking.last_modified is not None:
            if booking.last_modified < last_modified:
                result.stale = True
                continue
        sections = _sections(booking)
        # Compared as JSON: the stored side comes back as dicts, the new side is dataclasses.
        before = {name: _json((old or {}).get(name)) for name in _SECTIONS}
        after = {name: _json(sections[name]) for name in _SECTIONS}
        result.changes = [name for name in _SECTIONS if before[name] != after[name]]
        _record_changes(conn, booking_id, before, after, result.changes, message_id, now)
        updates.append(
            {
                "booking_id": booking_id,
                "sensitive_removed": (removed or 0) + booking.sensitive_removed,
                **_values(booking, sections, message_id, now),
            }
        )
        replaced.append(booking_id)
    if updates:
        # One compiled statement for the whole push, run as an executemany.
        statement = (
            bookings.update()
            .where(bookings.c.id == bindparam("booking_id"))
            .values({name: bindparam(name) for name in updates[0] if name != "booking_id"})
        )
        conn.execute(statement, updates)
    for table in (booking_legs, booking_contacts, payments):
        for start in range(0, len(replaced), _CHUNK):
            chunk = replaced[start : start + _CHUNK]
            conn.execute(delete(table).where(table.c.booking_id.in_(chunk)))
    written = [(results[k].booking_id, latest[k]) for k in keys if not results[k].stale]
    _write_children(conn, written, message_id)
    _link_flight(conn, [results[k].booking_id for k in keys], flight_id, message_id)
    return [results[b.key()] for b in pushed]


_CHUNK = 900


def _values(
    booking: Booking, sections: dict[str, Any], message_id: int, now: datetime
) -> dict[str, Any]:
    first = booking.locators[0] if booking.locators else None
    return {
        "system": first.system if first else None,
        "record_locator": booking.record_locator,
        "created_at": booking.created_at or (first.created_at if first else None),
        "last_modified": booking.last_modified,
        "ticketed_at": booking.ticketed_at,
        "number_in_party": booking.number_in_party,
        "agency": booking.agency,
        "details": sections,
        "last_message_id": message_id,
        "updated": now,
    }


def _new_row(booking: Booking, key: str, message_id: int, now: datetime) -> dict[str, Any]:
    return {
        "booking_key": key,
        "first_message_id": message_id,
        "created": now,
        "sensitive_removed": booking.sensitive_removed,
        **_values(booking, _sections(booking), message_id, now),
    }


def _stored(conn: Connection, keys: list[str]) -> dict[str, tuple[int, Any, Any, int | None]]:
    found: dict[str, tuple[int, Any, Any, int | None]] = {}
    for start in range(0, len(keys), _CHUNK):
        rows = conn.execute(
            select(
                bookings.c.booking_key,
                bookings.c.id,
                bookings.c.last_modified,
                bookings.c.details,
                bookings.c.sensitive_removed,
            ).where(bookings.c.booking_key.in_(keys[start : start + _CHUNK]))
        )
        for key, booking_id, last_modified, details, removed in rows:
            found[str(key)] = (int(booking_id), last_modified, details, removed)
    return found


def _ids(conn: Connection, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        rows = conn.execute(
            select(bookings.c.booking_key, bookings.c.id).where(bookings.c.booking_key.in_(chunk))
        )
        found.update((str(key), int(booking_id)) for key, booking_id in rows)
    return found


def _record_changes(
    conn: Connection,
    booking_id: int,
    before: dict[str, bytes],
    after: dict[str, bytes],
    changed: list[str],
    message_id: int,
    now: datetime,
) -> None:
    if not changed:
        return
    conn.execute(
        booking_changes.insert(),
        [
            {
                "booking_id": booking_id,
                "message_id": message_id,
                "field": name,
                "old_value": before[name].decode("utf-8"),
                "new_value": after[name].decode("utf-8"),
                "changed_at": now,
            }
            for name in changed
        ],
    )


def _link_flight(conn: Connection, booking_ids: list[int], flight_id: int, message_id: int) -> None:
    rows = [
        {"booking_id": b, "flight_id": flight_id, "last_message_id": message_id}
        for b in booking_ids
    ]
    upsert_many(
        conn, booking_flights, rows, keys=("booking_id", "flight_id"), update=("last_message_id",)
    )


def _write_children(conn: Connection, written: list[tuple[int, Booking]], message_id: int) -> None:
    legs: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    paid: list[dict[str, Any]] = []
    for booking_id, booking in written:
        legs.extend(
            {
                "booking_id": booking_id,
                "sequence": n,
                "marketing_carrier": leg.marketing_carrier,
                "marketing_number": leg.marketing_number,
                "operating_carrier": leg.operating_carrier,
                "operating_number": leg.operating_number,
                "departure_airport": leg.departure_airport,
                "arrival_airport": leg.arrival_airport,
                "departure": leg.departure,
                "arrival": leg.arrival,
                "booking_class": leg.booking_class,
                "status": leg.status,
                "party_size": leg.party_size,
                "equipment": leg.equipment,
                "is_pushed_flight": leg.is_pushed_flight,
            }
            for n, leg in enumerate(booking.itinerary, start=1)
        )
        contacts.extend(
            {
                "booking_id": booking_id,
                "traveller_ref": c.traveller_ref,
                "kind": c.kind,
                "value": c.value,
                "raw": c.raw,
                "source": c.source,
                "normalised": c.normalised,
                "message_id": message_id,
            }
            for c in booking.contacts
        )
        paid.extend(
            {
                "booking_id": booking_id,
                "traveller_ref": p.traveller_ref,
                "type": p.type,
                "card_vendor": p.card_vendor,
                "card_last_four": p.card_last_four,
                "card_fingerprint": p.card_fingerprint,
                "card_expiry": p.card_expiry,
                "card_holder": p.card_holder,
                "amount": p.amount,
                "currency": p.currency,
                "billing_address": p.billing_address,
                "message_id": message_id,
            }
            for p in booking.payments
        )
    bulk_insert(conn, booking_legs, legs)
    bulk_insert(conn, booking_contacts, contacts)
    bulk_insert(conn, payments, paid)


def booking_changes_of(conn: Connection, booking_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(booking_changes)
        .where(booking_changes.c.booking_id == booking_id)
        .order_by(booking_changes.c.id)
    )
    return [dict(row._mapping) for row in rows]


def bookings_of_flight(conn: Connection, flight_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(bookings)
        .join(booking_flights, booking_flights.c.booking_id == bookings.c.id)
        .where(booking_flights.c.flight_id == flight_id)
        .order_by(bookings.c.record_locator)
    )
    return [dict(row._mapping) for row in rows]
