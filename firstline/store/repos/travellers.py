"""Travellers of a flight, one per person whatever the source, and their documents.

Each source finds its own record again by its key (`api_key`, `pnr_key`). A record not found
that way is matched to the flight's existing travellers by `ingest.merge.find_match`
(document, then name + date of birth, then name within the booking), so the API and PNR
records of one person become one traveller. A source only adds or replaces what it states:
a PNR without DOCS never erases the API's document. Every changed value is written to
`traveller_changes`, and `provenance` says which message set each field's current value
(a field not listed there came with the traveller's first message: see `source_of`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from firstline.ingest.merge import Person, document_key, find_match
from firstline.model.booking import Booking, PnrTraveller
from firstline.model.serialize import to_plain
from firstline.model.travel import TravelDocument, Traveller, TravellerRole
from firstline.store.db import bulk_insert, json_dumps
from firstline.store.tables import travel_documents, traveller_changes, travellers

# Columns a source may state; a difference becomes a traveller_changes row.
TRACKED = (
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
)
DOCUMENT_FIELDS = (
    "type",
    "number",
    "issuing_country",
    "issuing_place",
    "expiry_date",
    "issue_date",
)
_CHUNK = 900  # stays inside SQLite's bound-parameter limit


@dataclass(slots=True)
class PersonRecord:
    """One traveller as one source states it, ready to store or merge."""

    source: str  # "API" or "PNR"
    key: str
    row: dict[str, Any]  # TRACKED columns; None means "not stated by this source"
    details: dict[str, Any] = field(default_factory=dict)
    documents: list[dict[str, Any]] = field(default_factory=list)
    booking_id: int | None = None

    def person(self) -> Person:
        locator = self.row.get("booking_reference")
        return Person(
            surname=self.row.get("surname"),
            given_names=self.row.get("given_names"),
            date_of_birth=self.row.get("date_of_birth"),
            documents=frozenset(
                k for d in self.documents if (k := document_key(d.get("number"))) is not None
            ),
            booking_locators=frozenset({locator}) if locator else frozenset(),
            is_crew=_is_crew(self.row.get("role")) if self.source == "API" else None,
        )


def _is_crew(role: str | None) -> bool | None:
    if role is None:
        return None
    return role in (TravellerRole.CREW.value, TravellerRole.IN_TRANSIT_CREW.value)


@dataclass(slots=True)
class ApplyResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    boarded: int = 0


def _document_row(document: TravelDocument) -> dict[str, Any]:
    return {
        "type": document.type,
        "number": document.number,
        "issuing_country": document.issuing_country,
        "issuing_place": document.issuing_place,
        "expiry_date": document.expiry_date,
        "issue_date": document.issue_date,
    }


def api_record(traveller: Traveller) -> PersonRecord:
    """The API (PAXLST) view of a traveller."""
    details: dict[str, Any] = {}
    # Built by hand rather than through `to_plain`: this runs once per traveller on ingest.
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
    row = {
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
    }
    documents = [_document_row(d) for d in traveller.documents]
    return PersonRecord("API", traveller.identity_key(), row, details, documents)


def pnr_record(traveller: PnrTraveller, booking: Booking, booking_id: int) -> PersonRecord:
    """The PNR view of a traveller on the pushed flight."""
    check_in = next(
        (
            c
            for c in booking.check_ins
            if c.traveller_ref and c.traveller_ref == traveller.reference
        ),
        None,
    )
    gender = (traveller.gender or "")[:1] or None  # MI/FI: male/female infant
    row: dict[str, Any] = {
        "role": TravellerRole.PASSENGER.value,
        "surname": traveller.surname,
        "given_names": traveller.given_names,
        "gender": gender,
        "date_of_birth": traveller.date_of_birth,
        "nationality": traveller.nationality,
        "country_of_residence": traveller.country_of_residence,
        "booking_reference": booking.record_locator,
        "passenger_reference": traveller.unique_reference,
        "seat": traveller.seat or (check_in.seat if check_in else None),
        "checked_bags": check_in.bag_pieces if check_in else None,
        "bag_weight_kg": check_in.bag_weight if check_in else None,
    }
    pnr: dict[str, Any] = {
        "title": traveller.title,
        "passenger_type": traveller.passenger_type,
        "reference": traveller.reference,
        "infant_of": traveller.infant_of,
        "checked_in": traveller.checked_in or check_in is not None,
        "fare_basis": traveller.fare_basis,
    }
    if traveller.frequent_flyers:
        pnr["frequent_flyers"] = traveller.frequent_flyers
    if traveller.addresses:
        pnr["addresses"] = traveller.addresses
    if check_in is not None:
        pnr["boarding_number"] = check_in.boarding_number
        pnr["bag_tags"] = check_in.bag_tags
    documents = [_document_row(d) for d in traveller.documents]
    # Within one booking a traveller is its reference, else its name; the booking key keeps
    # reused locators apart.
    who = traveller.reference or f"{traveller.surname}/{traveller.given_names}"
    key = f"pnr:{booking.key()}|{who}"
    details = {"pnr": {k: v for k, v in pnr.items() if v not in (None, [], {})}}
    return PersonRecord("PNR", key, row, details, documents, booking_id=booking_id)


def apply_people(
    conn: Connection,
    flight_id: int,
    records: list[PersonRecord],
    *,
    message_id: int,
    now: datetime,
) -> ApplyResult:
    """Insert, update or merge the travellers of one flight stated by one message."""
    result = ApplyResult()
    unique: dict[str, PersonRecord] = {}
    for record in records:
        unique[record.key] = record  # a person listed twice in one delivery counts once
    if not unique:
        return result
    source = next(iter(unique.values())).source
    existing = _by_key(conn, flight_id, source, list(unique))
    unmatched = [r for k, r in unique.items() if k not in existing]
    merged: dict[str, tuple[int, str]] = {}
    if unmatched and _flight_has_travellers(conn, flight_id):
        merged = _match(conn, flight_id, unmatched)
        rows = _rows_by_id(conn, [traveller_id for traveller_id, _ in merged.values()])
        for key, (traveller_id, _evidence) in merged.items():
            existing[key] = rows[traveller_id]
    fresh = [r for k, r in unique.items() if k not in existing]
    if fresh:
        _insert(conn, flight_id, fresh, message_id=message_id, now=now)
        result.added = len(fresh)
    documents = _documents_of(conn, [int(old["id"]) for old in existing.values()])
    for key, old in existing.items():
        evidence = merged[key][1] if key in merged else None
        stored = documents.get(int(old["id"]), [])
        changed = _update(conn, old, unique[key], evidence, stored, message_id=message_id, now=now)
        if evidence is not None:
            result.merged += 1
        if changed:
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def source_of(traveller: dict[str, Any], field: str) -> int:
    """Id of the message that set `field` of a stored traveller row."""
    provenance = traveller.get("provenance") or {}
    return int(provenance.get(field, traveller["first_message_id"]))


def _key_column(source: str) -> Any:
    return travellers.c.api_key if source == "API" else travellers.c.pnr_key


def _flight_has_travellers(conn: Connection, flight_id: int) -> bool:
    query = select(func.count()).select_from(travellers).where(travellers.c.flight_id == flight_id)
    return int(conn.execute(query).scalar_one()) > 0


_STATE_COLUMNS = ("id", "api_key", "pnr_key", "booking_id", "details", "sources", "provenance")


def _by_key(
    conn: Connection, flight_id: int, source: str, keys: list[str]
) -> dict[str, dict[str, Any]]:
    column = _key_column(source)
    columns = [travellers.c[n] for n in (*_STATE_COLUMNS, *TRACKED)]
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(keys), _CHUNK):
        rows = conn.execute(
            select(*columns).where(
                travellers.c.flight_id == flight_id, column.in_(keys[start : start + _CHUNK])
            )
        )
        for row in rows:
            data = dict(row._mapping)
            found[data["api_key" if source == "API" else "pnr_key"]] = data
    return found


def _rows_by_id(conn: Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    columns = [travellers.c[n] for n in (*_STATE_COLUMNS, *TRACKED)]
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = conn.execute(
            select(*columns).where(travellers.c.id.in_(ids[start : start + _CHUNK]))
        )
        found.update((int(row.id), dict(row._mapping)) for row in rows)
    return found


def _match(
    conn: Connection, flight_id: int, records: list[PersonRecord]
) -> dict[str, tuple[int, str]]:
    """Records of another source's travellers on this flight that are the same people."""
    rows = conn.execute(
        select(
            travellers.c.id,
            travellers.c.surname,
            travellers.c.given_names,
            travellers.c.date_of_birth,
            travellers.c.booking_reference,
            travellers.c.role,
        ).where(travellers.c.flight_id == flight_id)
    ).all()
    numbers: dict[int, set[str]] = {}
    document_rows = conn.execute(
        select(travel_documents.c.traveller_id, travel_documents.c.number)
        .join(travellers, travellers.c.id == travel_documents.c.traveller_id)
        .where(travellers.c.flight_id == flight_id)
    )
    for traveller_id, number in document_rows:
        if (key := document_key(number)) is not None:
            numbers.setdefault(int(traveller_id), set()).add(key)
    candidates = [
        Person(
            surname=r.surname,
            given_names=r.given_names,
            date_of_birth=r.date_of_birth,
            documents=frozenset(numbers.get(int(r.id), ())),
            booking_locators=frozenset({r.booking_reference})
            if r.booking_reference
            else frozenset(),
            record_id=int(r.id),
            is_crew=_is_crew(r.role),
        )
        for r in rows
    ]
    matched: dict[str, tuple[int, str]] = {}
    taken: set[int] = set()
    for record in records:
        match = find_match(record.person(), [c for c in candidates if c.record_id not in taken])
        if match is not None:
            matched[record.key] = (match.record_id, match.evidence)
            taken.add(match.record_id)
    return matched


def _insert(
    conn: Connection,
    flight_id: int,
    fresh: list[PersonRecord],
    *,
    message_id: int,
    now: datetime,
) -> None:
    source = fresh[0].source
    rows = []
    for record in fresh:
        rows.append(
            {
                **record.row,
                "identity_key": record.key,
                "api_key": record.key if source == "API" else None,
                "pnr_key": record.key if source == "PNR" else None,
                "booking_id": record.booking_id,
                "details": record.details or None,
                "sources": [source],
                # Empty: every field of a new traveller comes from `first_message_id`.
                "provenance": None,
                "flight_id": flight_id,
                "first_message_id": message_id,
                "last_message_id": message_id,
                "created_at": now,
                "updated_at": now,
            }
        )
    # A plain executemany, then one look-up of the new ids, is several times faster than
    # INSERT .. RETURNING row by row.
    bulk_insert(conn, travellers, rows)
    ids = _ids_by_key(conn, flight_id, source, [r.key for r in fresh])
    documents: list[dict[str, Any]] = []
    for record in fresh:
        traveller_id = ids[record.key]
        documents.extend(
            {**d, "traveller_id": traveller_id, "sequence": n, "message_id": message_id}
            for n, d in enumerate(record.documents, start=1)
        )
    bulk_insert(conn, travel_documents, documents)


def _ids_by_key(conn: Connection, flight_id: int, source: str, keys: list[str]) -> dict[str, int]:
    column = _key_column(source)
    found: dict[str, int] = {}
    for start in range(0, len(keys), _CHUNK):
        rows = conn.execute(
            select(travellers.c.id, column).where(
                travellers.c.flight_id == flight_id, column.in_(keys[start : start + _CHUNK])
            )
        )
        found.update((str(key), int(traveller_id)) for traveller_id, key in rows)
    return found


def _documents_of(conn: Connection, ids: list[int]) -> dict[int, list[Any]]:
    """Stored documents of many travellers in one query per chunk, in sequence order."""
    found: dict[int, list[Any]] = {}
    columns = [travel_documents.c.id, *[travel_documents.c[f] for f in DOCUMENT_FIELDS]]
    for start in range(0, len(ids), _CHUNK):
        rows = conn.execute(
            select(travel_documents.c.traveller_id, *columns)
            .where(travel_documents.c.traveller_id.in_(ids[start : start + _CHUNK]))
            .order_by(travel_documents.c.traveller_id, travel_documents.c.sequence)
        )
        for row in rows:
            found.setdefault(int(row.traveller_id), []).append(row)
    return found


def _update(
    conn: Connection,
    old: dict[str, Any],
    record: PersonRecord,
    evidence: str | None,
    stored_documents: list[Any],
    *,
    message_id: int,
    now: datetime,
) -> bool:
    """Apply what `record` states to a stored traveller; True when anything changed."""
    traveller_id = int(old["id"])
    sources = list(old["sources"] or [])
    joining = record.source not in sources
    changes: list[tuple[str, Any, Any]] = []
    values: dict[str, Any] = {}
    provenance = dict(old["provenance"] or {})
    for name, value in record.row.items():
        if value is None or value == "":
            continue  # a source never erases what another stated
        if old[name] != value:
            # When a second source joins, filling its blanks is not a change of anybody's
            # statement; replacing a stated value always is.
            if not (joining and old[name] is None):
                changes.append((name, old[name], value))
            values[name] = value
            # Provenance names the message the current value came from; a later message
            # repeating the same value does not take the credit.
            provenance[name] = message_id
    details = {**(old["details"] or {}), **record.details}
    # Compared as JSON: stored details come back as dicts, new ones may hold dataclasses.
    before, after = json_dumps(old["details"] or {}), json_dumps(details)
    if before != after:
        if not joining:
            changes.append(("details", before, after))
        values["details"] = details
    if joining:
        sources.append(record.source)
        values["sources"] = sources
        values[f"{record.source.lower()}_key"] = record.key
        changes.append(("merged", "+".join(sources[:-1]), f"{record.source} by {evidence}"))
    if record.booking_id is not None and old["booking_id"] != record.booking_id:
        values["booking_id"] = record.booking_id
    documents_changed = _merge_documents(
        conn, traveller_id, record, stored_documents, message_id, changes
    )
    if not values and not documents_changed:
        return False
    conn.execute(
        travellers.update()
        .where(travellers.c.id == traveller_id)
        .values(last_message_id=message_id, updated_at=now, provenance=provenance, **values)
    )
    if changes:
        _record_changes(conn, traveller_id, changes, message_id=message_id, now=now)
    return True


def _merge_documents(
    conn: Connection,
    traveller_id: int,
    record: PersonRecord,
    stored: list[Any],
    message_id: int,
    changes: list[tuple[str, Any, Any]],
) -> bool:
    """Add the record's documents the traveller does not have yet; correct known ones."""
    by_number = {document_key(r.number) or f"#{r.type}": r for r in stored}
    before = [tuple(r[2:]) for r in stored]
    changed = False
    sequence = len(stored)
    for document in record.documents:
        known = by_number.get(document_key(document["number"]) or f"#{document['type']}")
        if known is None:
            sequence += 1
            conn.execute(
                travel_documents.insert().values(
                    traveller_id=traveller_id, sequence=sequence, message_id=message_id, **document
                )
            )
            changed = True
            continue
        fixes = {
            f: document[f]
            for f in DOCUMENT_FIELDS
            if document[f] is not None and document[f] != getattr(known, f)
        }
        if fixes:
            conn.execute(
                travel_documents.update()
                .where(travel_documents.c.id == known.id)
                .values(message_id=message_id, **fixes)
            )
            changed = True
    if changed:
        after = conn.execute(
            select(*[travel_documents.c[f] for f in DOCUMENT_FIELDS])
            .where(travel_documents.c.traveller_id == traveller_id)
            .order_by(travel_documents.c.sequence)
        ).all()
        changes.append(("documents", _documents_text(before), _documents_text(after)))
    return changed


def _documents_text(documents: Sequence[Any]) -> str:
    return "; ".join("/".join("" if v is None else str(v) for v in d) for d in documents)


def _record_changes(
    conn: Connection,
    traveller_id: int,
    changes: list[tuple[str, Any, Any]],
    *,
    message_id: int,
    now: datetime,
) -> None:
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
    known = _by_key(conn, flight_id, "API", [t.identity_key() for t in unnamed])
    # A person known only from PNR so far is found by the unique passenger reference the
    # booking gave (REF), which is what RFF+ABO carries.
    by_reference = _ids_by_reference(
        conn,
        flight_id,
        [
            t.passenger_reference
            for t in unnamed
            if t.identity_key() not in known and t.passenger_reference
        ],
    )
    unknown = [
        t
        for t in unnamed
        if t.identity_key() not in known and t.passenger_reference not in by_reference
    ]
    records = [api_record(t) for t in named + unknown]
    result = apply_people(conn, flight_id, records, message_id=message_id, now=now)
    keys = list(known) + [t.identity_key() for t in named]
    ids = list(_ids_by_key(conn, flight_id, "API", keys).values()) + list(by_reference.values())
    for start in range(0, len(ids), _CHUNK):
        conn.execute(
            travellers.update()
            .where(travellers.c.id.in_(ids[start : start + _CHUNK]))
            .values(boarded_message_id=message_id, updated_at=now)
        )
    result.boarded = len(ids)
    return result


def _ids_by_reference(conn: Connection, flight_id: int, references: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(references), _CHUNK):
        rows = conn.execute(
            select(travellers.c.id, travellers.c.passenger_reference).where(
                travellers.c.flight_id == flight_id,
                travellers.c.passenger_reference.in_(references[start : start + _CHUNK]),
            )
        )
        found.update((str(reference), int(traveller_id)) for traveller_id, reference in rows)
    return found


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
