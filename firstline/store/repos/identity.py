"""Person identity across flights, the SQL side: linking travellers to persons, decisions.

Each traveller is linked to a person as they arrive: by the same travel document (number and
issuing country), else by the same date of birth and a name the screening matcher scores 0.9
or more (so MUELLER/MÜLLER and swapped given and family names still meet), else as a new
person. Every link keeps its reason and score. Analysts merge and split; their decisions are
recorded append-only and never undone by the automatic linking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from firstline.exc import NotFoundError
from firstline.screening.names import NamePart, compare_names, with_roles
from firstline.screening.normalize import fold_document, normalize
from firstline.store.tables import (
    flights,
    identity_decisions,
    person_keys,
    person_links,
    persons,
    travel_documents,
    travellers,
)
from firstline.store.upsert import upsert_many

NAME_THRESHOLD = 0.9  # with the same full date of birth


@dataclass(slots=True)
class IdentitySummary:
    linked: int = 0
    new_persons: int = 0
    by_document: int = 0
    by_name: int = 0


@dataclass(slots=True)
class _Known:
    by_document: dict[str, int] = field(default_factory=dict)
    by_birth: dict[date, list[tuple[int, tuple[NamePart, ...]]]] = field(default_factory=dict)


def _parts(surname: str | None, given: str | None) -> tuple[NamePart, ...]:
    return with_roles(normalize(surname or ""), normalize(given or ""))


def _keys(conn: Connection, traveller_ids: Sequence[int]) -> dict[int, list[str]]:
    """The keys each traveller can be recognised by: documents, frequent-flyer numbers."""
    out: dict[int, list[str]] = {}
    for start in range(0, len(traveller_ids), 900):
        chunk = list(traveller_ids[start : start + 900])
        rows = conn.execute(
            select(
                travel_documents.c.traveller_id,
                travel_documents.c.number,
                travel_documents.c.issuing_country,
            ).where(
                travel_documents.c.traveller_id.in_(chunk),
                travel_documents.c.number.is_not(None),
            )
        )
        for traveller, number, country in rows:
            folded = fold_document(number)
            if len(folded) >= 5:
                out.setdefault(int(traveller), []).append(f"DOC:{(country or '').upper()}:{folded}")
        for traveller, details in conn.execute(
            select(travellers.c.id, travellers.c.details).where(
                travellers.c.id.in_(chunk), travellers.c.details.is_not(None)
            )
        ):
            pnr = details.get("pnr") if isinstance(details, dict) else None
            for ff in (pnr or {}).get("frequent_flyers") or []:
                if isinstance(ff, dict) and ff.get("number"):
                    key = f"FF:{ff.get('airline') or ''}{str(ff['number']).strip().upper()}"
                    out.setdefault(int(traveller), []).append(key)
    return out


def _known(conn: Connection, keys: set[str], births: set[date]) -> _Known:
    """Persons already recognised by these keys or born on these dates."""
    known = _Known()
    ordered = sorted(keys)
    for start in range(0, len(ordered), 900):
        rows = conn.execute(
            select(person_keys.c.key, person_keys.c.person_id).where(
                person_keys.c.key.in_(ordered[start : start + 900])
            )
        )
        known.by_document.update({str(k): int(p) for k, p in rows})
    dates = sorted(births)
    for start in range(0, len(dates), 900):
        born_rows = conn.execute(
            select(
                person_links.c.person_id,
                travellers.c.surname,
                travellers.c.given_names,
                travellers.c.date_of_birth,
            )
            .join(travellers, travellers.c.id == person_links.c.traveller_id)
            .where(travellers.c.date_of_birth.in_(dates[start : start + 900]))
        )
        for person, surname, given, born in born_rows:
            known.by_birth.setdefault(born, []).append((int(person), _parts(surname, given)))
    return known


def resolve(conn: Connection, flight_ids: Sequence[int] | None = None) -> IdentitySummary:
    """Link every not-yet-linked traveller of these flights (all when None) to a person."""
    summary = IdentitySummary()
    now = datetime.now(UTC)
    query = (
        select(
            travellers.c.id,
            travellers.c.surname,
            travellers.c.given_names,
            travellers.c.date_of_birth,
        )
        .outerjoin(person_links, person_links.c.traveller_id == travellers.c.id)
        .where(person_links.c.traveller_id.is_(None))
        .order_by(travellers.c.id)
    )
    if flight_ids is not None:
        query = query.where(travellers.c.flight_id.in_(list(flight_ids)))
    rows = conn.execute(query).all()
    if not rows:
        return summary
    documents = _keys(conn, [int(r.id) for r in rows])
    known = _known(
        conn,
        {d for ds in documents.values() for d in ds},
        {r.date_of_birth for r in rows if r.date_of_birth is not None},
    )
    links = []
    for row in rows:
        traveller = int(row.id)
        person, reason, score = _match(known, documents.get(traveller, []), row)
        if person is None:
            person = int(
                conn.execute(insert(persons).values(created_at=now)).inserted_primary_key[0]  # type: ignore[index]
            )
            reason, score = "first seen", 1.0
            summary.new_persons += 1
        elif reason == "same travel document":
            summary.by_document += 1
        else:
            summary.by_name += 1
        # Later travellers of this batch meet this one too (a connection's two flights).
        for key in documents.get(traveller, []):
            known.by_document.setdefault(key, person)
        if row.date_of_birth is not None:
            known.by_birth.setdefault(row.date_of_birth, []).append(
                (person, _parts(row.surname, row.given_names))
            )
        links.append(
            {"traveller_id": traveller, "person_id": person, "reason": reason,
             "score": score, "decided": False, "created_at": now}
        )  # fmt: skip
    conn.execute(insert(person_links), links)
    summary.linked = len(links)
    _record_keys(conn, flight_ids)
    return summary


def _match(known: _Known, documents: list[str], row: Any) -> tuple[int | None, str, float]:
    for key in documents:
        if key in known.by_document:
            how = "same travel document" if key.startswith("DOC:") else "same frequent-flyer number"
            return known.by_document[key], how, 1.0
    if row.date_of_birth is None or not (row.surname or row.given_names):
        return None, "", 0.0
    parts = _parts(row.surname, row.given_names)
    best: tuple[int | None, float] = (None, 0.0)
    for person, other in known.by_birth.get(row.date_of_birth, []):
        score = compare_names(parts, other).score
        if score >= NAME_THRESHOLD and score > best[1]:
            best = (person, score)
    if best[0] is None:
        return None, "", 0.0
    return best[0], "same date of birth and name", round(best[1], 3)


def _record_keys(conn: Connection, flight_ids: Sequence[int] | None) -> None:
    """Remember the keys of the linked travellers of these flights. Documents often arrive
    after the first booking push (API at check-in): recorded on every pass, first come first
    kept, so a later flight of the same person is recognised by them."""
    query = select(person_links.c.traveller_id, person_links.c.person_id).join(
        travellers, travellers.c.id == person_links.c.traveller_id
    )
    if flight_ids is not None:
        query = query.where(travellers.c.flight_id.in_(list(flight_ids)))
    owners = {int(t): int(p) for t, p in conn.execute(query)}
    if not owners:
        return
    keys = _keys(conn, sorted(owners))
    rows = {key: owners[t] for t, found in keys.items() for key in found}
    # A key already known for another person: the two are one person (the same document or
    # frequent-flyer number), unless an analyst decided otherwise for either.
    known = _known(conn, set(rows), set()).by_document
    for key, person in rows.items():
        owner = known.get(key)
        if owner is None or owner == person or _decided(conn, person) or _decided(conn, owner):
            continue
        how = "same travel document" if key.startswith("DOC:") else "same frequent-flyer number"
        conn.execute(
            update(person_links)
            .where(person_links.c.person_id == person)
            .values(person_id=owner, reason=how, score=1.0)
        )
        conn.execute(
            update(person_keys).where(person_keys.c.person_id == person).values(person_id=owner)
        )
        rows = {k: (owner if p == person else p) for k, p in rows.items()}
    upsert_many(
        conn,
        person_keys,
        [{"key": key, "person_id": person} for key, person in rows.items()],
        keys=("key",),
    )


def _co_travellers(conn: Connection, person: int) -> list[dict[str, Any]]:
    """Other persons who shared a booking with this one, and on how many of their flights."""
    mine = select(person_links.c.traveller_id).where(person_links.c.person_id == person)
    bookings = select(travellers.c.booking_id).where(
        travellers.c.id.in_(mine), travellers.c.booking_id.is_not(None)
    )
    rows = conn.execute(
        select(person_links.c.person_id, travellers.c.flight_id)
        .join(travellers, travellers.c.id == person_links.c.traveller_id)
        .where(travellers.c.booking_id.in_(bookings), person_links.c.person_id != person)
    ).all()
    flights_with: dict[int, set[int]] = {}
    for other, flight in rows:
        flights_with.setdefault(int(other), set()).add(int(flight))
    ranked = sorted(flights_with.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [{"person_id": p, "flights_together": len(f)} for p, f in ranked]


def _decided(conn: Connection, person: int) -> bool:
    found = conn.execute(
        select(person_links.c.traveller_id).where(
            person_links.c.person_id == person, person_links.c.decided.is_(True)
        )
    ).first()
    return found is not None


def person_of(conn: Connection, traveller_id: int) -> int:
    person = conn.execute(
        select(person_links.c.person_id).where(person_links.c.traveller_id == traveller_id)
    ).scalar()
    if person is None:
        raise NotFoundError(
            f"traveller {traveller_id} has no identity yet (firstline identity resolve)"
        )
    return int(person)


def history(conn: Connection, traveller_id: int) -> dict[str, Any]:
    """The person a traveller is, with every flight they were on and why each is theirs."""
    person = person_of(conn, traveller_id)
    rows = conn.execute(
        select(
            person_links.c.traveller_id,
            person_links.c.reason,
            person_links.c.score,
            person_links.c.decided,
            flights.c.flight_key,
            flights.c.departure_date,
        )
        .join(travellers, travellers.c.id == person_links.c.traveller_id)
        .join(flights, flights.c.id == travellers.c.flight_id)
        .where(person_links.c.person_id == person)
        .order_by(flights.c.departure_date, person_links.c.traveller_id)
    ).mappings()
    trips = [dict(r) for r in rows]
    return {"person_id": person, "trips": trips, "co_travellers": _co_travellers(conn, person)}


def merge(conn: Connection, keep: int, other: int, note: str | None = None) -> int:
    """Make `other`'s person the same as `keep`'s: an analyst's decision, recorded."""
    now = datetime.now(UTC)
    target, source = person_of(conn, keep), person_of(conn, other)
    if target != source:
        conn.execute(
            update(person_keys).where(person_keys.c.person_id == source).values(person_id=target)
        )
        conn.execute(
            update(person_links)
            .where(person_links.c.person_id == source)
            .values(person_id=target, reason="merged by an analyst", score=1.0, decided=True)
        )
    conn.execute(
        insert(identity_decisions).values(
            kind="merge",
            traveller_ids=[keep, other],
            person_id=target,
            note=note,
            decided_at=now,
        )  # fmt: skip
    )
    return target


def split(conn: Connection, traveller_id: int, note: str | None = None) -> int:
    """Take a traveller out of their person into a person of their own: recorded."""
    now = datetime.now(UTC)
    person_of(conn, traveller_id)
    person = int(conn.execute(insert(persons).values(created_at=now)).inserted_primary_key[0])  # type: ignore[index]
    conn.execute(
        update(person_links)
        .where(person_links.c.traveller_id == traveller_id)
        .values(person_id=person, reason="split by an analyst", score=1.0, decided=True)
    )
    conn.execute(
        insert(identity_decisions).values(
            kind="split",
            traveller_ids=[traveller_id],
            person_id=person,
            note=note,
            decided_at=now,
        )  # fmt: skip
    )
    return person


def decisions(conn: Connection) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in conn.execute(
            select(identity_decisions).order_by(identity_decisions.c.id)
        ).mappings()
    ]
