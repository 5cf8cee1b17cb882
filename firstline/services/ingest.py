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

from firstline.exc import FirstlineError, ParseError
from firstline.ingest.multipart import is_part, series_key
from firstline.ingest.reader import ReadResult, read_message, sniff_format
from firstline.logs import get_logger
from firstline.perf import without_gc
from firstline.store.db import Store
from firstline.store.repos import flights as flight_repo
from firstline.store.repos import messages as message_repo
from firstline.store.repos import travellers as traveller_repo
from firstline.store.repos.messages import Delivery

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


@dataclass(slots=True)
class IngestSummary:
    received: int = 0
    loaded: int = 0
    duplicate: int = 0
    quarantined: int = 0
    travellers_added: int = 0
    travellers_updated: int = 0
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
def ingest_delivery(store: Store, delivery: Delivery, *, today: date | None = None) -> Outcome:
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
        result = read_message(delivery.raw, today=today)
        _check_loadable(result)
    except FirstlineError as exc:
        return _quarantine(store, delivery, exc)
    except Exception as exc:  # noqa: BLE001 - a parser bug must quarantine, not stop the run
        return _quarantine(store, delivery, exc)
    return _load(store, delivery, result)


def _check_loadable(result: ReadResult) -> None:
    for message in result.messages:
        flight = message.flight
        if flight is None or not flight.is_identified:
            raise ParseError(
                "no flight identification: flight number or route, and departure date, needed",
                segment="TDT",
                expected="TDT flight id or LOC+125/87, with DTM+189",
                found=flight.key() if flight else "no TDT",
            )


def _quarantine(store: Store, delivery: Delivery, exc: Exception) -> Outcome:
    if isinstance(exc, ParseError):
        reason, detail = str(exc), exc.detail() | {"code": exc.code}
    else:
        reason = f"internal error while parsing: {type(exc).__name__}: {exc}"
        detail = {"code": "internal_error", "reason": reason}
    with store.begin() as conn:
        message_id = message_repo.record(
            conn,
            delivery,
            status="quarantined",
            reason=reason,
            reason_detail=detail,
            message_type=detail.get("found")
            if detail.get("code") == "unsupported_message"
            else None,
        )
    log.warning("message_quarantined", message_id=message_id, code=detail.get("code"))
    return Outcome(message_id, "quarantined", reason=reason)


def _load(store: Store, delivery: Delivery, result: ReadResult) -> Outcome:
    now = datetime.now(UTC)
    warnings = [w.as_dict() for w in result.warnings]
    for message in result.messages:
        warnings.extend(w.as_dict() for w in message.warnings)
    first = result.messages[0]
    with store.begin() as conn:
        message_id = message_repo.record(
            conn,
            delivery,
            status="loaded",
            message_type="PAXLST",
            warnings=warnings,
            series_key=series_key(first) if is_part(first) else None,
            part_number=first.header.part_number,
            is_last_part=first.header.is_last_part,
            traveller_count=sum(len(m.travellers) for m in result.messages),
        )
        outcome = Outcome(message_id, "loaded", warnings=len(warnings))
        for message in result.messages:
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
                    conn, flight_id, message.travellers, message_id=message_id, now=now
                )
            else:
                records = [traveller_repo.api_record(t) for t in message.travellers]
                applied = traveller_repo.apply_people(
                    conn, flight_id, records, message_id=message_id, now=now
                )
            outcome.travellers_added += applied.added
            outcome.travellers_updated += applied.updated
            outcome.flight_ids.append(flight_id)
        message_repo.update(conn, message_id, flight_id=outcome.flight_ids[0])
    log.info(
        "message_loaded",
        message_id=message_id,
        flights=outcome.flight_ids,
        added=outcome.travellers_added,
        updated=outcome.travellers_updated,
    )
    return outcome


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under `paths` (folders walked recursively, hidden files skipped), sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.parts)
            )
        else:
            yield path


def ingest_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    progress: Callable[[Path, Outcome], None] | None = None,
    today: date | None = None,
) -> IngestSummary:
    """Ingest every file under `paths`; `progress` is told about each one."""
    summary = IngestSummary()
    for path in iter_files(paths):
        delivery = make_delivery(path.read_bytes(), str(path))
        outcome = ingest_delivery(store, delivery, today=today)
        summary.add(str(path), outcome)
        if progress is not None:
            progress(path, outcome)
    return summary
