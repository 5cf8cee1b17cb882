"""Ingest deliveries: hash, de-duplicate, parse, load or quarantine, and count.

Every delivery ends in exactly one of three states, so what came in can always be
accounted for: loaded, duplicate (of a delivery that loaded) or quarantined with a reason.
A bad message never stops the run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from firstline.exc import FirstlineError, ParseError
from firstline.ingest.multipart import is_part, series_key
from firstline.ingest.options import ParseOptions
from firstline.ingest.reader import ReadResult, read_message, sniff_format
from firstline.logs import get_logger
from firstline.model.booking import PnrPush
from firstline.model.travel import PassengerList
from firstline.perf import without_gc
from firstline.store.db import Store
from firstline.store.repos import bookings as booking_repo
from firstline.store.repos import flights as flight_repo
from firstline.store.repos import messages as message_repo
from firstline.store.repos import travellers as traveller_repo
from firstline.store.repos.messages import Delivery
from firstline.store.repos.travellers import ApplyResult
from firstline.texts import N_, fill

log = get_logger(__name__)


@dataclass(slots=True)
class Outcome:
    """What happened to one delivery."""

    message_id: int
    status: str
    reason: str | None = None
    travellers_added: int = 0
    travellers_updated: int = 0
    flight_ids: list[int] = field(default_factory=list)
    warnings: int = 0
    travellers_merged: int = 0
    bookings: int = 0
    stale_bookings: int = 0
    # Why it was quarantined as stored (ParseError.detail()): templates for translation.
    reason_detail: dict[str, Any] | None = None

    def count(self, applied: ApplyResult, flight_id: int) -> None:
        self.travellers_added += applied.added
        self.travellers_updated += applied.updated
        self.travellers_merged += applied.merged
        if flight_id not in self.flight_ids:
            self.flight_ids.append(flight_id)


@dataclass(slots=True)
class IngestSummary:
    received: int = 0
    loaded: int = 0
    duplicate: int = 0
    quarantined: int = 0
    travellers_added: int = 0
    travellers_updated: int = 0
    travellers_merged: int = 0
    bookings: int = 0
    warnings: int = 0
    flights: set[int] = field(default_factory=set)
    quarantine_reasons: list[tuple[str, str]] = field(default_factory=list)

    def add(self, source: str, outcome: Outcome) -> None:
        self.received += 1
        if outcome.status == "loaded":
            self.loaded += 1
        elif outcome.status == "duplicate":
            self.duplicate += 1
        else:
            self.quarantined += 1
            self.quarantine_reasons.append((source, outcome.reason or ""))
        self.travellers_added += outcome.travellers_added
        self.travellers_updated += outcome.travellers_updated
        self.travellers_merged += outcome.travellers_merged
        self.bookings += outcome.bookings
        self.warnings += outcome.warnings
        self.flights.update(outcome.flight_ids)


def make_delivery(raw: bytes, source: str) -> Delivery:
    return Delivery(
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        source=source,
        format=sniff_format(raw),
    )


@without_gc
def ingest_delivery(
    store: Store,
    delivery: Delivery,
    *,
    today: date | None = None,
    options: ParseOptions | None = None,
) -> Outcome:
    """Load one delivery in its own transaction; never raises for bad content."""
    with store.begin() as conn:
        earlier = message_repo.find_loaded(conn, delivery.sha256)
        if earlier is not None:
            message_id = message_repo.record(
                conn, delivery, status="duplicate", keep_raw=False, duplicate_of=earlier
            )
            log.info("message_duplicate", message_id=message_id, duplicate_of=earlier)
            return Outcome(message_id, "duplicate")
    try:
        result = read_message(delivery.raw, today=today, options=options)
        _check_loadable(result)
    except FirstlineError as exc:
        return _quarantine(store, delivery, exc)
    except Exception as exc:  # noqa: BLE001 - a parser bug must quarantine, not stop the run
        return _quarantine(store, delivery, exc)
    return _load(store, delivery, result)


def retry_quarantined(
    store: Store, message_id: int, delivery: Delivery, *, options: ParseOptions | None = None
) -> Outcome:
    """Run a quarantined delivery's stored bytes through today's parsers and loader again.

    The same steps as `ingest_delivery`, applied to the existing row: it becomes loaded (or
    a duplicate, when the same bytes have loaded since), or stays quarantined with the reason
    today's parser gives. Never raises for bad content.
    """
    with store.begin() as conn:
        earlier = message_repo.find_loaded(conn, delivery.sha256)
        if earlier is not None:
            message_repo.update(
                conn, message_id, status="duplicate", duplicate_of=earlier, reason=None,
                reason_detail=None, raw=None,
            )  # fmt: skip
            return Outcome(message_id, "duplicate")
    try:
        result = read_message(delivery.raw, options=options)
        _check_loadable(result)
    except Exception as exc:  # noqa: BLE001 - as in ingest_delivery: quarantine, never stop
        return _quarantine(store, delivery, exc, message_id=message_id)
    return _load(store, delivery, result, message_id=message_id)


def _check_loadable(result: ReadResult) -> None:
    for message in result.messages:
        flight = message.flight
        if flight is None or not flight.is_identified:
            raise ParseError(
                N_("no flight identification: flight number or route, and departure date, needed"),
                segment="TDT",
                expected=N_("TDT flight id or LOC+125/87, with DTM+189"),
                found=flight.key() if flight else "",
            )
    for push in result.pushes:
        flight = push.flight
        if flight is None or not flight.is_identified:
            raise ParseError(
                N_(
                    "no flight identification in the PNR push: neither the header flight nor "
                    "the itineraries name a dated flight"
                ),
                segment="TVL",
                expected=N_("header TVL or itinerary TVL with date, airports and flight number"),
                found=flight.key() if flight else "",
            )


def _quarantine(
    store: Store, delivery: Delivery, exc: Exception, *, message_id: int | None = None
) -> Outcome:
    if isinstance(exc, ParseError):
        reason, detail = str(exc), exc.detail() | {"code": exc.code}
    else:
        template = N_("internal error while parsing: {error}")
        params = {"error": f"{type(exc).__name__}: {exc}"}
        reason = fill(template, params)
        detail = {
            "code": "internal_error", "reason": reason, "reason_template": template,
            "params": params,
        }  # fmt: skip
    values: dict[str, Any] = {
        "reason": reason,
        "reason_detail": detail,
        "message_type": detail.get("found")
        if detail.get("code") == "unsupported_message"
        else None,
    }
    with store.begin() as conn:
        if message_id is None:
            message_id = message_repo.record(conn, delivery, status="quarantined", **values)
        else:  # a stored delivery that still fails: its newest reason replaces the old one
            message_repo.update(conn, message_id, **values)
    log.warning("message_quarantined", message_id=message_id, code=detail.get("code"))
    return Outcome(message_id, "quarantined", reason=reason, reason_detail=detail)


def _load(
    store: Store, delivery: Delivery, result: ReadResult, *, message_id: int | None = None
) -> Outcome:
    now = datetime.now(UTC)
    warnings = [w.as_dict() for w in result.all_warnings()]
    first = result.messages[0] if result.messages else None
    part = first is not None and is_part(first)
    values: dict[str, Any] = {
        "message_type": result.message_type,
        "warnings": warnings,
        "series_key": series_key(first) if first is not None and part else None,
        "part_number": first.header.part_number if first is not None else None,
        "is_last_part": first.header.is_last_part if first is not None else None,
        "traveller_count": result.traveller_count,
        "sensitive_removed": result.sensitive_removed if result.pushes else None,
    }
    with store.begin() as conn:
        if message_id is None:
            message_id = message_repo.record(conn, delivery, status="loaded", **values)
        else:  # a quarantined delivery loaded in place: it keeps its id and received time
            message_repo.update(
                conn, message_id, status="loaded", reason=None, reason_detail=None, **values
            )
        outcome = Outcome(message_id, "loaded", warnings=len(warnings))
        for message in result.messages:
            _load_passenger_list(conn, message, outcome, now)
        for push in result.pushes:
            _load_push(conn, push, outcome, now)
        message_repo.update(conn, message_id, flight_id=outcome.flight_ids[0])
    log.info(
        "message_loaded",
        message_id=message_id,
        flights=outcome.flight_ids,
        added=outcome.travellers_added,
        updated=outcome.travellers_updated,
        merged=outcome.travellers_merged,
    )
    return outcome


def _load_passenger_list(
    conn: Connection, message: PassengerList, outcome: Outcome, now: datetime
) -> None:
    assert message.flight is not None  # checked by _check_loadable
    flight_id = flight_repo.upsert_flight(
        conn,
        message.flight,
        now,
        declared_passengers=None if message.is_crew_list else message.declared_passengers,
        declared_crew=message.declared_crew if message.is_crew_list else None,
    )
    if message.document_code == "266":
        applied = traveller_repo.apply_close_out(
            conn, flight_id, message.travellers, message_id=outcome.message_id, now=now
        )
    else:
        records = [traveller_repo.api_record(t) for t in message.travellers]
        applied = traveller_repo.apply_people(
            conn, flight_id, records, message_id=outcome.message_id, now=now
        )
    flight_repo.refresh_counts(conn, flight_id)
    outcome.count(applied, flight_id)


def _load_push(conn: Connection, push: PnrPush, outcome: Outcome, now: datetime) -> None:
    assert push.flight is not None  # checked by _check_loadable
    flight_id = flight_repo.upsert_flight(conn, push.flight, now)
    stored = booking_repo.upsert_bookings(
        conn, push.bookings, flight_id=flight_id, message_id=outcome.message_id, now=now
    )
    records: list[traveller_repo.PersonRecord] = []
    for booking, result in zip(push.bookings, stored, strict=True):
        if result.stale:
            outcome.stale_bookings += 1
            continue
        records.extend(
            traveller_repo.pnr_record(t, booking, result.booking_id) for t in booking.travellers
        )
    # One call for the whole push: the flight's travellers are read once for matching.
    applied = traveller_repo.apply_people(
        conn, flight_id, records, message_id=outcome.message_id, now=now
    )
    flight_repo.refresh_counts(conn, flight_id)
    outcome.bookings += len(stored)
    outcome.count(applied, flight_id)


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under `paths`, sorted; folders are walked recursively.

    Inside a folder, names starting with `.` (hidden) or `_` (by convention not for ingest,
    e.g. the `_answers` folder of a generated day) are skipped. A file named explicitly is
    always read.
    """
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)
            )
        else:
            yield path


def ingest_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    progress: Callable[[Path, Outcome], None] | None = None,
    today: date | None = None,
    options: ParseOptions | None = None,
    on_loaded: Callable[[Outcome], None] | None = None,
) -> IngestSummary:
    """Ingest every file under `paths`; `progress` is told about each one.

    `on_loaded` runs after each delivery that loaded (screening hooks in there), outside the
    delivery's transaction: what it does cannot undo the load.
    """
    summary = IngestSummary()
    for path in iter_files(paths):
        delivery = make_delivery(path.read_bytes(), str(path))
        outcome = ingest_delivery(store, delivery, today=today, options=options)
        summary.add(str(path), outcome)
        if on_loaded is not None and outcome.status == "loaded":
            on_loaded(outcome)
        if progress is not None:
            progress(path, outcome)
    return summary
