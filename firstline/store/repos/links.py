"""The rows the link graph is built from: who holds which identifier, who books together."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, select

from firstline.store.tables import booking_contacts, payments, travel_documents, travellers


def _scoped(query: Any, flight_ids: Sequence[int] | None) -> Any:
    if flight_ids is None:
        return query
    return query.where(travellers.c.flight_id.in_(list(flight_ids)))


def identifier_rows(
    conn: Connection, flight_ids: Sequence[int] | None = None
) -> Iterator[tuple[int, str, str, str | None]]:
    """(traveller id, kind, value, country) for every identifier a traveller is linked to.

    A booking's phones, e-mails and cards belong to every traveller on it: whoever paid or
    gave the number made the booking for all of them. Values are as ingest normalised them
    (E.164, lower-case e-mail, card fingerprint).
    """
    contacts = select(
        travellers.c.id, booking_contacts.c.kind, booking_contacts.c.value, booking_contacts.c.raw
    ).join(booking_contacts, booking_contacts.c.booking_id == travellers.c.booking_id)
    cards = (
        select(travellers.c.id, payments.c.type, payments.c.card_fingerprint, payments.c.currency)
        .join(payments, payments.c.booking_id == travellers.c.booking_id)
        .where(payments.c.card_fingerprint.is_not(None))
    )
    documents = (
        select(
            travellers.c.id,
            travel_documents.c.type,
            travel_documents.c.number,
            travel_documents.c.issuing_country,
        )
        .join(travel_documents, travel_documents.c.traveller_id == travellers.c.id)
        .where(travel_documents.c.number.is_not(None))
    )
    for row in conn.execute(_scoped(contacts, flight_ids)):
        if row[1] in ("phone", "email"):
            yield int(row[0]), str(row[1]), str(row[2]), None
    for row in conn.execute(_scoped(cards, flight_ids)):
        yield int(row[0]), "card", str(row[2]), None
    for row in conn.execute(_scoped(documents, flight_ids)):
        yield int(row[0]), "document", str(row[2]), row[3]


def booking_rows(
    conn: Connection, flight_ids: Sequence[int] | None = None
) -> Iterator[tuple[int, int]]:
    query = select(travellers.c.id, travellers.c.booking_id).where(
        travellers.c.booking_id.is_not(None)
    )
    if flight_ids is not None:
        query = query.where(travellers.c.flight_id.in_(list(flight_ids)))
    for row in conn.execute(query):
        yield int(row[0]), int(row[1])


def flight_of(conn: Connection, traveller_ids: Sequence[int]) -> dict[int, int]:
    rows = conn.execute(
        select(travellers.c.id, travellers.c.flight_id).where(
            travellers.c.id.in_(list(traveller_ids))
        )
    )
    return {int(r[0]): int(r[1]) for r in rows}
