"""The rows the link graph is built from: who holds which identifier, who books together."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, distinct, func, select

from firstline.store.tables import (
    booking_contacts,
    bookings,
    flights,
    hits,
    payments,
    travel_documents,
    travellers,
)


def _scoped(
    query: Any, flight_ids: Sequence[int] | None, traveller_ids: Sequence[int] | None = None
) -> Any:
    if traveller_ids is not None:
        query = query.where(travellers.c.id.in_(list(traveller_ids)))
    if flight_ids is None:
        return query
    return query.where(travellers.c.flight_id.in_(list(flight_ids)))


def identifier_rows(
    conn: Connection,
    flight_ids: Sequence[int] | None = None,
    *,
    traveller_ids: Sequence[int] | None = None,
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
    for row in conn.execute(_scoped(contacts, flight_ids, traveller_ids)):
        if row[1] in ("phone", "email"):
            yield int(row[0]), str(row[1]), str(row[2]), None
    for row in conn.execute(_scoped(cards, flight_ids, traveller_ids)):
        yield int(row[0]), "card", str(row[2]), None
    for row in conn.execute(_scoped(documents, flight_ids, traveller_ids)):
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


COMMON_CAP = 25  # an identifier held by more travellers is an agency's or a call centre's
_COUNTED = ("false_positive", "shadow")


def link_facts(conn: Connection, flight_ids: Sequence[int]) -> dict[int, dict[str, object]]:
    """Graph facts for risk rules, per traveller of these flights.

    `links.shared_identifiers`: other travellers (any flight, outside the traveller's own
    booking) holding one of the traveller's phones, e-mails, cards or documents;
    `links.shares_with_hit` / `links.shares_with_confirmed_hit`: one of them holds a current
    hit (not a false positive, not a shadow rule's) / a confirmed one. Identifiers held by
    more than COMMON_CAP travellers are not followed, as in the link graph.
    """
    mine: dict[tuple[str, str], set[int]] = {}
    travellers_here: set[int] = set()
    for traveller, kind, value, country in identifier_rows(conn, flight_ids):
        travellers_here.add(traveller)
        mine.setdefault(_key(kind, value, country), set()).add(traveller)
    holders = _holders(conn, mine)
    involved = travellers_here | {t for owners in holders.values() for t in owners}
    bookings = _bookings_of(conn, involved)
    others_of: dict[int, set[int]] = {}
    for key, owners in mine.items():
        everyone = holders.get(key, set()) | owners
        if len(everyone) > COMMON_CAP:
            continue
        for traveller in owners:
            booking = bookings.get(traveller)
            others = {
                o
                for o in everyone
                if o != traveller and (booking is None or bookings.get(o) != booking)
            }
            if others:
                others_of.setdefault(traveller, set()).update(others)
    flagged = _hit_states(conn, {o for others in others_of.values() for o in others})
    near = _near_watchlist(conn, travellers_here, others_of, bookings)
    out: dict[int, dict[str, object]] = {}
    for traveller in travellers_here:
        others = others_of.get(traveller, set())
        states = [flagged[o] for o in others if o in flagged]
        out[traveller] = {
            "links.shared_identifiers": len(others),
            "links.shares_with_hit": bool(states),
            "links.shares_with_confirmed_hit": any(s == "confirmed" for s in states),
            "links.near_watchlist_match": traveller in near,
        }
    return out


_NEAR_CAP = 200  # travellers followed from one traveller at the first step


def _near_watchlist(
    conn: Connection,
    travellers_here: set[int],
    others_of: dict[int, set[int]],
    bookings: dict[int, int],
) -> set[int]:
    """Travellers within two steps (a shared booking or identifier, then another) of someone
    else holding a current watchlist or link hit."""
    mates = _mates(conn, {b for t, b in bookings.items() if t in travellers_here})
    first: dict[int, set[int]] = {}
    for traveller in travellers_here:
        step = set(others_of.get(traveller, ()))
        booking = bookings.get(traveller)
        if booking is not None:
            step |= mates.get(booking, set())
        step.discard(traveller)
        if step:
            first[traveller] = set(sorted(step)[:_NEAR_CAP])
    reached = {o for step in first.values() for o in step}
    if not reached:
        return set()
    # Second step from everyone reached: their bookings and their shared identifiers.
    second_bookings = _bookings_of(conn, reached)
    second_mates = _mates(conn, set(second_bookings.values()))
    keys: dict[tuple[str, str], set[int]] = {}
    for traveller, kind, value, country in identifier_rows(
        conn, None, traveller_ids=sorted(reached)
    ):
        keys.setdefault(_key(kind, value, country), set()).add(traveller)
    holders = _holders(conn, keys)
    onward: dict[int, set[int]] = {}
    for key, owners in keys.items():
        everyone = holders.get(key, set()) | owners
        if len(everyone) > COMMON_CAP:
            continue
        for owner in owners:
            onward.setdefault(owner, set()).update(everyone)
    for owner, booking in second_bookings.items():
        onward.setdefault(owner, set()).update(second_mates.get(booking, set()))
    candidates = reached | {t for step in onward.values() for t in step}
    listed = _watchlist_hit_holders(conn, candidates)
    near: set[int] = set()
    for traveller, step in first.items():
        around = step | {t for o in step for t in onward.get(o, ())}
        around.discard(traveller)
        if around & listed:
            near.add(traveller)
    return near


def _mates(conn: Connection, booking_ids: set[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    ids = sorted(booking_ids)
    for start in range(0, len(ids), 900):
        rows = conn.execute(
            select(travellers.c.booking_id, travellers.c.id).where(
                travellers.c.booking_id.in_(ids[start : start + 900])
            )
        )
        for booking, traveller in rows:
            out.setdefault(int(booking), set()).add(int(traveller))
    return out


def _watchlist_hit_holders(conn: Connection, traveller_ids: set[int]) -> set[int]:
    out: set[int] = set()
    ids = sorted(traveller_ids)
    for start in range(0, len(ids), 900):
        rows = conn.execute(
            select(hits.c.traveller_id).where(
                hits.c.traveller_id.in_(ids[start : start + 900]),
                hits.c.current.is_(True),
                hits.c.source.in_(("watchlist", "link")),
                hits.c.status.not_in(_COUNTED),
            )
        )
        out.update(int(r[0]) for r in rows)
    return out


def _key(kind: str, value: str, country: str | None) -> tuple[str, str]:
    if kind == "document":
        return kind, f"{(country or '').upper()}:{value.upper()}"
    return kind, value


def _holders(
    conn: Connection, mine: dict[tuple[str, str], set[int]]
) -> dict[tuple[str, str], set[int]]:
    """Every stored traveller holding each identifier (all flights)."""
    by_kind: dict[str, list[str]] = {}
    for kind, value in mine:
        by_kind.setdefault(kind, []).append(value.split(":", 1)[1] if kind == "document" else value)
    out: dict[tuple[str, str], set[int]] = {}
    for kind, values in by_kind.items():
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            if kind in ("phone", "email"):
                query: Any = (
                    select(travellers.c.id, booking_contacts.c.value, booking_contacts.c.kind)
                    .join(
                        booking_contacts, booking_contacts.c.booking_id == travellers.c.booking_id
                    )
                    .where(booking_contacts.c.kind == kind, booking_contacts.c.value.in_(chunk))
                )
                rows = ((r[0], (kind, r[1])) for r in conn.execute(query))
            elif kind == "card":
                query = (
                    select(travellers.c.id, payments.c.card_fingerprint)
                    .join(payments, payments.c.booking_id == travellers.c.booking_id)
                    .where(payments.c.card_fingerprint.in_(chunk))
                )
                rows = ((r[0], ("card", r[1])) for r in conn.execute(query))
            else:
                query = select(
                    travel_documents.c.traveller_id,
                    travel_documents.c.number,
                    travel_documents.c.issuing_country,
                ).where(travel_documents.c.number.in_(chunk))
                rows = ((r[0], _key("document", r[1], r[2])) for r in conn.execute(query))
            for traveller, key in rows:
                out.setdefault(key, set()).add(int(traveller))
    return out


def _hit_states(conn: Connection, traveller_ids: set[int]) -> dict[int, str]:
    """'confirmed' or 'open' per traveller holding a current hit that counts."""
    out: dict[int, str] = {}
    ids = sorted(traveller_ids)
    for start in range(0, len(ids), 900):
        rows = conn.execute(
            select(hits.c.traveller_id, hits.c.status).where(
                hits.c.traveller_id.in_(ids[start : start + 900]),
                hits.c.current.is_(True),
                hits.c.status.not_in(_COUNTED),
            )
        )
        for traveller, status in rows:
            if out.get(int(traveller)) != "confirmed":
                out[int(traveller)] = "confirmed" if status == "confirmed" else "open"
    return out


def _bookings_of(conn: Connection, traveller_ids: set[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    ids = sorted(traveller_ids)
    for start in range(0, len(ids), 900):
        rows = conn.execute(
            select(travellers.c.id, travellers.c.booking_id).where(
                travellers.c.id.in_(ids[start : start + 900]),
                travellers.c.booking_id.is_not(None),
            )
        )
        out.update({int(r[0]): int(r[1]) for r in rows})
    return out


def agency_rows(
    conn: Connection, flight_ids: Sequence[int] | None = None
) -> Iterator[tuple[int, str]]:
    """(traveller id, agency) for travellers booked by a travel agency (IATA number or office)."""
    query = select(travellers.c.id, bookings.c.agency).join(
        bookings, bookings.c.id == travellers.c.booking_id
    )
    if flight_ids is not None:
        query = query.where(travellers.c.flight_id.in_(list(flight_ids)))
    for traveller, agency in conn.execute(query):
        if isinstance(agency, dict):
            value = agency.get("agency_number") or agency.get("office_id")
            if value:
                yield int(traveller), str(value)


def seat_rows(
    conn: Connection, flight_ids: Sequence[int] | None = None
) -> Iterator[tuple[int, int, int, str, int | None]]:
    """(traveller id, flight id, row, seat letter, booking id) for seated travellers."""
    query = select(
        travellers.c.id, travellers.c.flight_id, travellers.c.seat, travellers.c.booking_id
    ).where(travellers.c.seat.is_not(None))
    if flight_ids is not None:
        query = query.where(travellers.c.flight_id.in_(list(flight_ids)))
    for traveller, flight, seat, booking in conn.execute(query):
        text = str(seat).strip().upper()
        digits = "".join(c for c in text if c.isdigit())
        letters = "".join(c for c in text if c.isalpha())
        if digits and len(letters) == 1:
            yield int(traveller), int(flight), int(digits), letters, booking


def detail_rows(
    conn: Connection, flight_ids: Sequence[int] | None = None
) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """(traveller id, flight id, details) for travellers whose messages carried details:
    addresses, frequent-flyer numbers, check-in (boarding) numbers, bag tags."""
    query = select(travellers.c.id, travellers.c.flight_id, travellers.c.details).where(
        travellers.c.details.is_not(None)
    )
    if flight_ids is not None:
        query = query.where(travellers.c.flight_id.in_(list(flight_ids)))
    for traveller, flight, details in conn.execute(query):
        if isinstance(details, dict):
            yield int(traveller), int(flight), details


# --- A traveller's neighbourhood without loading every flight (the network picture) -----

_CHUNK = 500  # values per IN list: well within SQLite's variable limit


@dataclass(slots=True)
class IdentifierHolders:
    """Who else holds some identifiers, anywhere in the store.

    `counts` has every (kind, value, country) group with its number of travellers; `rows`
    lists the holders, as `identifier_rows` does, of the groups held by at most `cap`
    travellers (a call centre's phone held by thousands is counted, not listed).
    """

    counts: list[tuple[str, str, str | None, int]] = field(default_factory=list)
    rows: list[tuple[int, str, str, str | None]] = field(default_factory=list)


def _chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])


def _holder_queries(kind: str, values: list[str]) -> tuple[Any, Any]:
    """(count per group, holder rows) for one kind and some stored values. Groups are
    (value, country); only documents have a country. Constants stay out of GROUP BY, which
    PostgreSQL refuses."""
    if kind in ("phone", "email"):
        joined: Any = booking_contacts.join(
            travellers, travellers.c.booking_id == booking_contacts.c.booking_id
        )
        keys: list[Any] = [booking_contacts.c.value]
        where: Any = and_(booking_contacts.c.kind == kind, booking_contacts.c.value.in_(values))
        who: Any = travellers.c.id
    elif kind == "card":
        joined = payments.join(travellers, travellers.c.booking_id == payments.c.booking_id)
        keys = [payments.c.card_fingerprint]
        where = payments.c.card_fingerprint.in_(values)
        who = travellers.c.id
    else:
        joined = travel_documents
        keys = [travel_documents.c.number, travel_documents.c.issuing_country]
        where = travel_documents.c.number.in_(values)
        who = travel_documents.c.traveller_id
    counted = (
        select(*keys, func.count(distinct(who))).select_from(joined).where(where).group_by(*keys)
    )
    listed = select(*keys, who).select_from(joined).where(where)
    return counted, listed


def _group(row: Any, kind: str) -> tuple[str, str | None]:
    return str(row[0]), (row[1] if kind == "document" else None)


def identifier_holders(
    conn: Connection, identifiers: Sequence[tuple[str, str]], *, cap: int
) -> IdentifierHolders:
    """Holders of these (kind, stored value) identifiers: phone, email, card, document.

    Indexed look-ups (contact value, card fingerprint, document number), so the cost follows
    the identifiers asked about, not the size of the store.
    """
    out = IdentifierHolders()
    by_kind: dict[str, list[str]] = {}
    for kind, value in sorted(set(identifiers)):
        by_kind.setdefault(kind, []).append(value)
    for kind, values in by_kind.items():
        for chunk in _chunks(values):
            counted, listed = _holder_queries(kind, chunk)
            small: set[tuple[str, str | None]] = set()
            for row in conn.execute(counted):
                value, country = _group(row, kind)
                out.counts.append((kind, value, country, int(row[-1])))
                if int(row[-1]) <= cap:
                    small.add((value, country))
            for row in conn.execute(listed):
                if (group := _group(row, kind)) in small:
                    out.rows.append((int(row[-1]), kind, *group))
    return out


def booking_members(conn: Connection, traveller_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(traveller, booking) for everyone on the bookings of these travellers, any flight."""
    out: list[tuple[int, int]] = []
    for chunk in _chunks(sorted(set(traveller_ids))):
        theirs = select(travellers.c.booking_id).where(
            travellers.c.id.in_(chunk), travellers.c.booking_id.is_not(None)
        )
        rows = conn.execute(
            select(travellers.c.id, travellers.c.booking_id).where(
                travellers.c.booking_id.in_(theirs.scalar_subquery())
            )
        )
        out.extend((int(r[0]), int(r[1])) for r in rows)
    return out


@dataclass(frozen=True, slots=True)
class PictureRow:
    traveller_id: int
    surname: str | None
    given_names: str | None
    flight_id: int
    carrier: str | None
    number: str | None
    departure_date: date | None


def picture_rows(conn: Connection, traveller_ids: Sequence[int]) -> list[PictureRow]:
    """What a node of a network picture says about a traveller: name and flight."""
    out: list[PictureRow] = []
    for chunk in _chunks(sorted(set(traveller_ids))):
        query = (
            select(
                travellers.c.id,
                travellers.c.surname,
                travellers.c.given_names,
                travellers.c.flight_id,
                flights.c.carrier,
                flights.c.number,
                flights.c.departure_date,
            )
            .join(flights, flights.c.id == travellers.c.flight_id)
            .where(travellers.c.id.in_(chunk))
        )
        out.extend(PictureRow(int(r[0]), r[1], r[2], int(r[3]), r[4], r[5], r[6])
                   for r in conn.execute(query))  # fmt: skip
    return out


def current_hit_holders(conn: Connection, traveller_ids: Sequence[int]) -> set[int]:
    """Travellers of these holding a current hit (a shadow rule's hits do not count)."""
    out: set[int] = set()
    for chunk in _chunks(sorted(set(traveller_ids))):
        rows = conn.execute(
            select(hits.c.traveller_id)
            .where(
                hits.c.traveller_id.in_(chunk),
                hits.c.current.is_(True),
                hits.c.status != "shadow",
            )
            .distinct()
        )
        out.update(int(r[0]) for r in rows)
    return out
