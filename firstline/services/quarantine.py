"""Quarantine for administrators: what was set aside and why, its stored bytes, and
re-processing them through today's parsers and loader.

Re-processing is `services.ingest.retry_quarantined` on the stored row: a delivery that now
loads keeps its id and received time and becomes `loaded` (or `duplicate` when the same
bytes have loaded since); one that still fails keeps today's reason. After a load the same
detectors as `firstline ingest` run on the flights it touched (`detectors`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from firstline.cases.access import Actor, Permission
from firstline.exc import NotFoundError
from firstline.ingest.adapters import Adapters, discover
from firstline.ingest.options import ParseOptions
from firstline.ingest.reader import sniff_format
from firstline.services import audit, identity
from firstline.services.access import require
from firstline.services.ingest import Outcome, retry_quarantined
from firstline.services.links import LinkDetector
from firstline.services.rules import Evaluator
from firstline.services.screening import Screener
from firstline.store import Store
from firstline.store.repos import messages as repo
from firstline.store.repos.messages import Delivery

RAW_PREVIEW = 4096  # bytes of a message shown on its page
LIST_LIMIT = 2000

Row = dict[str, Any]
AfterLoad = Callable[[Outcome], int]


def reason_kind(row: Row) -> str:
    """The reason without its location, so that messages failing the same way group."""
    detail = row.get("reason_detail") or {}
    return str(detail.get("reason") or row.get("reason") or "")


def listing(
    store: Store, actor: Actor, *, reason: str = ""
) -> tuple[list[Row], list[tuple[str, int]]]:
    """Quarantined messages (newest first; only those failing with `reason` when given) and
    how many fail for each reason."""
    rows, kinds, _details = overview(store, actor, reason=reason)
    return rows, kinds


def overview(
    store: Store, actor: Actor, *, reason: str = ""
) -> tuple[list[Row], list[tuple[str, int]], dict[str, Any]]:
    """`listing`, and one stored detail per reason: what a page needs to say every reason of
    its filter in its own language (the reason's template and parameters)."""
    require(actor, Permission.VIEW_QUARANTINE)
    with store.connect() as conn:
        rows = repo.quarantined(conn, limit=LIST_LIMIT)
    for row in rows:
        row["kind"] = reason_kind(row)
    kinds = Counter(row["kind"] for row in rows).most_common()
    details = {row["kind"]: row.get("reason_detail") for row in rows}
    return [r for r in rows if not reason or r["kind"] == reason], kinds, details


def adapters(actor: Actor) -> Adapters:
    """The message adapters this installation runs before its parsers (and those that
    failed to load): what changed when a re-processed message now loads."""
    require(actor, Permission.VIEW_QUARANTINE)
    return discover()


def message(store: Store, actor: Actor, message_id: int, *, client: str | None = None) -> Row:
    """A delivery's facts, reason and the first bytes of its content as text. The content
    may hold personal data: the view is audited."""
    require(actor, Permission.VIEW_QUARANTINE)
    with store.begin() as conn:
        found = repo.message(conn, message_id)
        if found is None:
            raise NotFoundError(f"no message {message_id}")
        raw = repo.raw_of(conn, message_id) or b""
        audit.record(
            conn, actor, "view_message", object_type="message", object_id=message_id, client=client
        )
    found["kind"] = reason_kind(found)
    found["preview"] = raw[:RAW_PREVIEW].decode("utf-8", errors="replace")
    found["truncated"] = len(raw) > RAW_PREVIEW
    return found


@dataclass(slots=True)
class Retried:
    """What re-processing did to one message."""

    message_id: int
    status: str  # loaded, duplicate, quarantined
    reason: str | None
    previous_reason: str | None
    new_hits: int = 0
    # Today's reason as stored (templates for the pages' languages); not in `as_dict`.
    detail: dict[str, Any] | None = None

    def as_dict(self) -> Row:
        return {
            "message_id": self.message_id,
            "status": self.status,
            "reason": self.reason,
            "previous_reason": self.previous_reason,
            "new_hits": self.new_hits,
        }


def reprocess(
    store: Store,
    actor: Actor,
    ids: Sequence[int],
    *,
    options: ParseOptions,
    after_load: AfterLoad | None = None,
    client: str | None = None,
) -> list[Retried]:
    """Run each quarantined message's stored bytes through the parsers and loader again.

    Each message in its own transaction, as in ingest; `after_load` (the detectors) runs
    after each one that loaded. Every attempt is audited with its result. A message that is
    not (or no longer) quarantined is refused.
    """
    require(actor, Permission.REPROCESS_QUARANTINE)
    done: list[Retried] = []
    for message_id in ids:
        with store.connect() as conn:
            row = repo.message(conn, message_id)
            raw = repo.raw_of(conn, message_id) if row is not None else None
        if row is None or row["status"] != "quarantined" or raw is None:
            raise NotFoundError(f"no quarantined message {message_id}")
        delivery = Delivery(
            raw=raw, sha256=row["sha256"], source=row["source"], format=sniff_format(raw)
        )
        outcome = retry_quarantined(store, message_id, delivery, options=options)
        retried = Retried(
            message_id, outcome.status, outcome.reason, row["reason"], detail=outcome.reason_detail
        )
        if outcome.status == "loaded" and after_load is not None:
            retried.new_hits = after_load(outcome)
        audit.log(
            store, actor, "reprocess_message", object_type="message", object_id=message_id,
            detail=retried.as_dict(), client=client,
        )  # fmt: skip
        done.append(retried)
    return done


def reprocess_reason(
    store: Store,
    actor: Actor,
    reason: str,
    *,
    options: ParseOptions,
    after_load: AfterLoad | None = None,
    client: str | None = None,
) -> list[Retried]:
    """Re-process every quarantined message that fails with `reason` (as `reason_kind`)."""
    rows, _ = listing(store, actor, reason=reason)
    ids = sorted(int(r["id"]) for r in rows)
    return reprocess(store, actor, ids, options=options, after_load=after_load, client=client)


def detectors(store: Store, options: ParseOptions) -> AfterLoad:
    """What `firstline ingest` runs on each loaded delivery: identity, screening, rules and
    links on the flights it touched. Returns the number of new hits."""
    screener = Screener(store)
    evaluator = Evaluator(store)
    linker = LinkDetector(store, card_key=options.card_key)

    def run(outcome: Outcome) -> int:
        identity.resolve(store, outcome.flight_ids)
        screened = screener.screen_pending(flight_ids=outcome.flight_ids)
        ruled = evaluator.evaluate_flights(outcome.flight_ids)
        linked = linker.evaluate_flights(outcome.flight_ids)
        return screened.new_hits + ruled.new_hits + linked.new_hits

    return run
