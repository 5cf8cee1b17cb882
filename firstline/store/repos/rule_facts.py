"""Facts of stored travellers for risk rules: one dict per traveller with the catalogue's keys.

Built per batch of flights with one query per table (not per traveller): rules run on every
ingested flight and back-tests run over the whole history, so the cost must grow with the
number of rows read, not with round trips. The derivations themselves live in
`firstline.rules.derive` (pure, unit-tested); this module only reads and assembles.

Bookings are shared between the flights of one itinerary and every flight's push rewrites
the per-flight parts (which leg is "the pushed flight", check-ins, seat requests), so facts
about "this flight" come from the flight row, never from the booking's pushed-flight flag.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, and_, func, or_, select, true, union

from firstline.rules import derive
from firstline.rules.fields import FIELDS
from firstline.store.repos.links import link_facts
from firstline.store.tables import (
    booking_changes,
    booking_contacts,
    booking_legs,
    bookings,
    flights,
    hits,
    payments,
    travel_documents,
    travellers,
)

FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
INTERNAL_KEYS = ("_traveller_id", "_flight_id", "_booking_id")
_CHUNK = 500  # ids per IN (...): far inside SQLite's and PostgreSQL's parameter limits

# Booking sections whose changes are not changes of the booking: check-ins are the journey
# progressing, history is the airline's own log of the other changes, and seat requests are
# sent per pushed leg, so they differ whenever another flight of the itinerary pushes.
_NOT_CHANGES = ("check_ins", "history", "special_requests", "itinerary")


@dataclass(slots=True)
class _Booking:
    created_at: datetime | None
    number_in_party: int | None
    agency: dict[str, Any] | None
    remarks: list[str]
    special_requests: list[dict[str, Any]]
    names: list[tuple[str | None, str | None]]
    legs: list[derive.Leg] = field(default_factory=list)
    phones: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    payment_types: list[str | None] = field(default_factory=list)
    card_holders: list[str | None] = field(default_factory=list)
    amounts: list[float | None] = field(default_factory=list)
    changes: set[int] = field(default_factory=set)  # ids of the messages that changed it


# Graph facts not computed (no rule reads them).
_UNKNOWN_LINKS: dict[str, object] = {
    "links.shared_identifiers": None,
    "links.shares_with_hit": None,
    "links.shares_with_confirmed_hit": None,
    "links.near_watchlist_match": None,
}
# A traveller with no identifier at all shares nothing.
_NO_LINKS: dict[str, object] = {
    "links.shared_identifiers": 0,
    "links.shares_with_hit": False,
    "links.shares_with_confirmed_hit": False,
    "links.near_watchlist_match": False,
}


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def _upper(value: str | None) -> str | None:
    return value.upper() if value else None


def facts_for_flights(
    conn: Connection, flight_ids: Sequence[int], *, links: bool = True
) -> list[dict[str, object]]:
    """Facts of every traveller of the flights, ordered by flight then traveller id."""
    result: list[dict[str, object]] = []
    for chunk in _chunks(sorted(set(flight_ids))):
        result.extend(_facts_for_chunk(conn, chunk, links=links))
    return result


def facts_for_travellers(conn: Connection, traveller_ids: Sequence[int]) -> list[dict[str, object]]:
    """Facts of the given travellers (their whole flights are read: party facts need the
    other travellers of each booking), in the order asked; unknown ids are skipped."""
    wanted = list(dict.fromkeys(traveller_ids))
    flight_ids: set[int] = set()
    for chunk in _chunks(wanted):
        query = select(travellers.c.flight_id).where(travellers.c.id.in_(chunk)).distinct()
        flight_ids.update(int(f) for f in conn.execute(query).scalars())
    by_id = {f["_traveller_id"]: f for f in facts_for_flights(conn, sorted(flight_ids))}
    return [by_id[t] for t in wanted if t in by_id]


def iter_facts(
    conn: Connection,
    *,
    departure_from: date | None = None,
    departure_to: date | None = None,
    batch_flights: int = 200,
    links: bool = True,
) -> Iterator[dict[str, object]]:
    """Facts of every stored traveller whose flight departs within the dates (inclusive),
    flight by flight in departure order, read `batch_flights` flights at a time."""
    query = select(flights.c.id).order_by(flights.c.departure_date, flights.c.id)
    if departure_from is not None:
        query = query.where(flights.c.departure_date >= departure_from)
    if departure_to is not None:
        query = query.where(flights.c.departure_date <= departure_to)
    ids = [int(i) for i in conn.execute(query).scalars()]
    for start in range(0, len(ids), max(1, batch_flights)):
        yield from facts_for_flights(conn, ids[start : start + batch_flights], links=links)


# -- reading ---------------------------------------------------------------------------------


def _facts_for_chunk(
    conn: Connection, flight_ids: list[int], *, links: bool = True
) -> list[dict[str, object]]:
    flight_rows = {
        int(r.id): r
        for r in conn.execute(
            select(
                flights.c.id,
                flights.c.carrier,
                flights.c.number,
                flights.c.origin,
                flights.c.destination,
                flights.c.departure_date,
                flights.c.scheduled_departure,
                flights.c.scheduled_arrival,
            ).where(flights.c.id.in_(flight_ids))
        )
    }
    people = conn.execute(
        select(
            travellers.c.id,
            travellers.c.flight_id,
            travellers.c.booking_id,
            travellers.c.role,
            travellers.c.surname,
            travellers.c.given_names,
            travellers.c.gender,
            travellers.c.date_of_birth,
            travellers.c.nationality,
            travellers.c.country_of_residence,
            travellers.c.seat,
            travellers.c.checked_bags,
            travellers.c.bag_weight_kg,
            travellers.c.sources,
            travellers.c.details,
        )
        .where(travellers.c.flight_id.in_(flight_ids))
        .order_by(travellers.c.flight_id, travellers.c.id)
    ).all()
    if not people:
        return []
    documents = _documents(conn, flight_ids)
    booked = _bookings(conn, flight_ids)
    history = _history(conn, flight_ids)

    # Party facts: the travellers of one booking on one flight.
    parties: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for person in people:
        if person.booking_id is not None:
            parties[(int(person.flight_id), int(person.booking_id))].append(person)
    party_facts: dict[tuple[int, int], tuple[int, int, int, bool | None]] = {}
    for key, mates in parties.items():
        day = flight_rows[key[0]].departure_date
        counts = derive.party_counts(
            [
                derive.Person(m.surname, m.given_names, derive.age_on(m.date_of_birth, day))
                for m in mates
            ]
        )
        booking = booked.get(key[1])
        third = None
        if booking is not None:
            holders = derive.card_holders(booking.card_holders, booking.remarks)
            names = booking.names + [(m.surname, m.given_names) for m in mates]
            third = derive.is_third_party(holders, names)
        party_facts[key] = (*counts, third)

    # The graph facts cost several queries a batch: skipped when no rule reads them (they
    # then stay empty, which no rule looks at).
    linked = link_facts(conn, flight_ids) if links else {}
    result: list[dict[str, object]] = []
    for person in people:
        flight = flight_rows[int(person.flight_id)]
        booking_id = int(person.booking_id) if person.booking_id is not None else None
        booking = booked.get(booking_id) if booking_id is not None else None
        party = party_facts.get((int(person.flight_id), booking_id)) if booking_id else None
        result.append(
            _assemble(
                person,
                flight,
                documents.get(int(person.id)),
                booking_id,
                booking,
                party,
                history.get(int(person.id), (0, 0)),
            )
        )
        result[-1].update(linked.get(int(person.id), _NO_LINKS) if links else _UNKNOWN_LINKS)
    return result


def _documents(conn: Connection, flight_ids: list[int]) -> dict[int, Any]:
    """The first document (lowest sequence) of each traveller of the flights."""
    rows = conn.execute(
        select(
            travel_documents.c.traveller_id,
            travel_documents.c.type,
            travel_documents.c.number,
            travel_documents.c.issuing_country,
            travel_documents.c.expiry_date,
            travel_documents.c.issue_date,
        )
        .join(travellers, travellers.c.id == travel_documents.c.traveller_id)
        .where(travellers.c.flight_id.in_(flight_ids))
        .order_by(travel_documents.c.traveller_id, travel_documents.c.sequence.desc())
    )
    # Descending sequence: the last assignment per traveller is the first document.
    return {int(r.traveller_id): r for r in rows}


def _bookings(conn: Connection, flight_ids: list[int]) -> dict[int, _Booking]:
    ids = (
        select(travellers.c.booking_id)
        .where(travellers.c.flight_id.in_(flight_ids), travellers.c.booking_id.is_not(None))
        .distinct()
        .scalar_subquery()
    )
    found: dict[int, _Booking] = {}
    # Only the JSON parts the facts need: the stored PNR is large and parsing it whole
    # would cost more than every other query together.
    rows = conn.execute(
        select(
            bookings.c.id,
            bookings.c.created_at,
            bookings.c.number_in_party,
            bookings.c.agency,
            bookings.c.details["remarks"].label("remarks"),
            bookings.c.details["special_requests"].label("special_requests"),
            bookings.c.details["travellers"].label("names"),
        ).where(bookings.c.id.in_(ids))
    )
    for r in rows:
        names = [
            (n.get("surname"), n.get("given_names")) for n in (r.names or []) if isinstance(n, dict)
        ]
        found[int(r.id)] = _Booking(
            created_at=r.created_at,
            number_in_party=r.number_in_party,
            agency=r.agency if isinstance(r.agency, dict) else None,
            remarks=[x for x in (r.remarks or []) if isinstance(x, str)],
            special_requests=[x for x in (r.special_requests or []) if isinstance(x, dict)],
            names=names,
        )
    legs = conn.execute(
        select(
            booking_legs.c.booking_id,
            booking_legs.c.departure_airport,
            booking_legs.c.arrival_airport,
            booking_legs.c.departure,
            booking_legs.c.arrival,
        )
        .where(booking_legs.c.booking_id.in_(ids))
        .order_by(booking_legs.c.booking_id, booking_legs.c.sequence)
    )
    for leg in legs:
        if (b := found.get(int(leg.booking_id))) is not None:
            b.legs.append(
                derive.Leg(leg.departure_airport, leg.arrival_airport, leg.departure, leg.arrival)
            )
    contacts = conn.execute(
        select(booking_contacts.c.booking_id, booking_contacts.c.kind, booking_contacts.c.value)
        .where(booking_contacts.c.booking_id.in_(ids))
        .order_by(booking_contacts.c.id)
    )
    for contact in contacts:
        if (b := found.get(int(contact.booking_id))) is not None:
            if contact.kind == "phone":
                b.phones.add(contact.value)
            elif contact.kind == "email":
                b.emails.add(contact.value.lower())
    paid = conn.execute(
        select(payments.c.booking_id, payments.c.type, payments.c.card_holder, payments.c.amount)
        .where(payments.c.booking_id.in_(ids))
        .order_by(payments.c.id)
    )
    for pay in paid:
        if (b := found.get(int(pay.booking_id))) is not None:
            b.payment_types.append(pay.type)
            b.card_holders.append(pay.card_holder)
            b.amounts.append(pay.amount)
    changed = conn.execute(
        select(booking_changes.c.booking_id, booking_changes.c.message_id).where(
            booking_changes.c.booking_id.in_(ids), booking_changes.c.field.not_in(_NOT_CHANGES)
        )
    )
    for change in changed:
        if (b := found.get(int(change.booking_id))) is not None:
            b.changes.add(int(change.message_id))
    itinerary = conn.execute(
        select(
            booking_changes.c.booking_id,
            booking_changes.c.message_id,
            booking_changes.c.old_value,
            booking_changes.c.new_value,
        ).where(booking_changes.c.booking_id.in_(ids), booking_changes.c.field == "itinerary")
    )
    for diff in itinerary:
        b = found.get(int(diff.booking_id))
        if b is not None and int(diff.message_id) not in b.changes:
            if _route(diff.old_value) != _route(diff.new_value):
                b.changes.add(int(diff.message_id))
    return found


def _route(text: str | None) -> object:
    """An itinerary without its per-push "which leg is the pushed flight" flag: a push by
    another flight of the same booking flips it without changing the booking."""
    try:
        legs = orjson.loads(text) if text else []
    except orjson.JSONDecodeError:
        return text
    if not isinstance(legs, list):
        return legs
    return [
        {k: v for k, v in leg.items() if k != "is_pushed_flight"} if isinstance(leg, dict) else leg
        for leg in legs
    ]


def _history(conn: Connection, flight_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per traveller of the flights: earlier trips of the same person on other flights, and
    the current hits on those trips. Same person: the same document number, or the same
    surname, given names and birth date. Set-based: one query for the whole batch."""
    cur, prev = travellers.alias("cur"), travellers.alias("prev")
    here, there = flights.alias("here"), flights.alias("there")
    mine, theirs = travel_documents.alias("mine"), travel_documents.alias("theirs")
    earlier = or_(
        there.c.departure_date < here.c.departure_date,
        and_(
            there.c.departure_date == here.c.departure_date,
            there.c.scheduled_departure < here.c.scheduled_departure,
        ),
    )
    by_document = (
        select(cur.c.id.label("tid"), prev.c.id.label("pid"))
        .select_from(cur)
        .join(mine, mine.c.traveller_id == cur.c.id)
        .join(theirs, theirs.c.number == mine.c.number)
        .join(prev, prev.c.id == theirs.c.traveller_id)
        .join(here, here.c.id == cur.c.flight_id)
        .join(there, there.c.id == prev.c.flight_id)
        .where(
            cur.c.flight_id.in_(flight_ids),
            mine.c.number.is_not(None),
            mine.c.number != "",
            prev.c.flight_id != cur.c.flight_id,
            earlier,
        )
    )
    by_name = (
        select(cur.c.id.label("tid"), prev.c.id.label("pid"))
        .select_from(cur)
        .join(
            prev,
            and_(
                prev.c.surname == cur.c.surname,
                prev.c.given_names == cur.c.given_names,
                prev.c.date_of_birth == cur.c.date_of_birth,
            ),
        )
        .join(here, here.c.id == cur.c.flight_id)
        .join(there, there.c.id == prev.c.flight_id)
        .where(
            cur.c.flight_id.in_(flight_ids),
            cur.c.surname.is_not(None),
            cur.c.date_of_birth.is_not(None),
            prev.c.flight_id != cur.c.flight_id,
            earlier,
        )
    )
    pairs = union(by_document, by_name).subquery("pairs")  # UNION: a pair found twice counts once
    query = (
        select(
            pairs.c.tid,
            func.count(func.distinct(pairs.c.pid)),
            func.count(hits.c.id),
        )
        .select_from(
            pairs.outerjoin(
                hits, and_(hits.c.traveller_id == pairs.c.pid, hits.c.current == true())
            )
        )
        .group_by(pairs.c.tid)
    )
    return {int(tid): (int(trips), int(found)) for tid, trips, found in conn.execute(query)}


# -- assembling ------------------------------------------------------------------------------


def _tag_counts(details: dict[str, Any]) -> list[int]:
    """Bag counts from the API's bag tags, else from the PNR check-in's tags."""
    for tags in (details.get("bag_tags"), (details.get("pnr") or {}).get("bag_tags")):
        counts = [int(t["count"]) for t in tags or [] if isinstance(t, dict) and t.get("count")]
        if counts:
            return counts
    return []


def _agency(agency: dict[str, Any] | None) -> tuple[bool | None, str | None]:
    """Booked by a travel agent: ORG originator type T, or an IATA agency number given."""
    if not agency:
        return None, None
    number = agency.get("agency_number") or None
    is_agency = agency.get("originator_type") == "T" or number is not None
    return is_agency, (number or agency.get("office_id")) if is_agency else None


def _is_group(booking: _Booking) -> bool:
    """A group booking: an SSR GRPS (group name) or a GROUP/GRP remark from the operator."""
    if any(str(r.get("code") or "").upper() == "GRPS" for r in booking.special_requests):
        return True
    return any(r.upper().startswith(("GROUP ", "GRP ")) for r in booking.remarks)


def _assemble(
    person: Any,
    flight: Any,
    document: Any,
    booking_id: int | None,
    booking: _Booking | None,
    party: tuple[int, int, int, bool | None] | None,
    history: tuple[int, int],
) -> dict[str, object]:
    day: date | None = flight.departure_date
    departure: datetime | None = flight.scheduled_departure
    details: dict[str, Any] = person.details if isinstance(person.details, dict) else {}
    pnr: dict[str, Any] = details.get("pnr") or {}
    age = derive.age_on(person.date_of_birth, day)
    legs = booking.legs if booking is not None else []
    stay = derive.stay_days(legs)
    bags = derive.bag_count(person.checked_bags, _tag_counts(details))
    sources = tuple(sorted({str(s).upper() for s in person.sources or []})) or None

    # Contacts: the booking's, plus those the API gave for the traveller.
    own = [c for c in details.get("contacts") or [] if isinstance(c, dict)]
    own_phones = {str(c.get("value")) for c in own if c.get("kind") == "phone"}
    own_emails = {str(c.get("value")).lower() for c in own if c.get("kind") == "email"}
    phones: int | None = None
    emails: int | None = None
    domains: tuple[str, ...] | None = None
    if booking is not None or own:
        all_phones = own_phones | (booking.phones if booking is not None else set())
        all_emails = own_emails | (booking.emails if booking is not None else set())
        phones, emails = len(all_phones), len(all_emails)
        domains = derive.email_domains(sorted(all_emails))

    forms = derive.payment_forms(booking.payment_types) if booking is not None else None
    agency, agency_id = _agency(booking.agency if booking is not None else None)
    frequent: bool | None = None
    if pnr.get("frequent_flyers"):
        frequent = True
    elif "PNR" in (sources or ()):
        frequent = False

    facts: dict[str, object] = {
        "_traveller_id": int(person.id),
        "_flight_id": int(person.flight_id),
        "_booking_id": booking_id,
        "traveller.surname": person.surname,
        "traveller.given_names": person.given_names,
        "traveller.gender": _upper(person.gender),
        "traveller.age": age,
        "traveller.minor": derive.is_minor(age),
        "traveller.nationality": _upper(person.nationality),
        "traveller.residence": _upper(person.country_of_residence),
        "traveller.role": _upper(person.role),
        "traveller.sources": sources,
        "document.type": _upper(document.type) if document is not None else None,
        "document.number": document.number if document is not None else None,
        "document.issuing_country": (
            _upper(document.issuing_country) if document is not None else None
        ),
        "document.expires_in_days": (
            derive.expires_in_days(document.expiry_date, day) if document is not None else None
        ),
        "document.issued_days_ago": (
            derive.issued_days_ago(document.issue_date, day) if document is not None else None
        ),
        "flight.carrier": _upper(flight.carrier),
        "flight.number": flight.number,
        "flight.origin": _upper(flight.origin),
        "flight.destination": _upper(flight.destination),
        "flight.origin_country": derive.country_of(flight.origin),
        "flight.destination_country": derive.country_of(flight.destination),
        "flight.departure_date": day,
        "flight.departure_hour": departure.hour if departure is not None else None,
        "itinerary.airports": derive.itinerary_airports(legs),
        "itinerary.countries": derive.itinerary_countries(legs),
        "itinerary.transit_airports": derive.transit_airports(legs),
        "itinerary.legs": len(legs) if legs else None,
        "itinerary.one_way": derive.is_one_way(legs),
        "itinerary.transit": derive.in_transit(
            legs, flight.origin, flight.destination, departure, flight.scheduled_arrival
        ),
        "itinerary.broken_travel": derive.is_broken_travel(legs),
        "itinerary.stay_days": stay,
        "booking.days_before_departure": (
            derive.days_before(booking.created_at, day) if booking is not None else None
        ),
        "booking.hours_before_departure": (
            derive.hours_before(booking.created_at, departure) if booking is not None else None
        ),
        "booking.party_size": _party_size(booking) if booking is not None else None,
        "booking.adults": party[0] if party is not None else None,
        "booking.minors": party[1] if party is not None else None,
        "booking.unrelated_minors": party[2] if party is not None else None,
        "booking.agency": agency,
        "booking.agency_id": agency_id,
        "booking.group": _is_group(booking) if booking is not None else None,
        "booking.changes": len(booking.changes) if booking is not None else None,
        "payment.forms": forms,
        "payment.cash": derive.paid_cash(forms),
        "payment.third_party": party[3] if party is not None else None,
        "payment.amount": (derive.payment_amount(booking.amounts) if booking is not None else None),
        "contact.phones": phones,
        "contact.emails": emails,
        "contact.email_domains": domains,
        "seat.number": person.seat,
        "bags.count": bags,
        "bags.weight_kg": person.bag_weight_kg,
        "bags.none_on_long_stay": derive.none_on_long_stay(bags, stay),
        "frequent_flyer.member": frequent,
        "history.previous_trips": history[0],
        "history.previous_hits": history[1],
    }
    return facts


def _party_size(booking: _Booking) -> int | None:
    """People on the PNR: the names it lists, else its stated party size."""
    if booking.names:
        return len(booking.names)
    return booking.number_in_party


__all__ = [
    "FIELD_NAMES",
    "INTERNAL_KEYS",
    "facts_for_flights",
    "facts_for_travellers",
    "iter_facts",
]
