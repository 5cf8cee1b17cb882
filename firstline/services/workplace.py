"""What the analyst's pages show: the flights board, a flight, a traveller, a search.

Personal data read here is audited (who looked at which traveller, who searched for what),
in the same transaction as the read.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from firstline.cases.access import Actor, Permission
from firstline.exc import InvalidRequestError, NotFoundError
from firstline.services import audit
from firstline.services.access import require
from firstline.store import Store
from firstline.store.repos import cases as case_repo
from firstline.store.repos import identity as identity_repo
from firstline.store.repos import workplace as repo

HOME_AIRPORTS_KEY = "home_airports"
BOARD_HOURS = 72


def local_now(timezone: str) -> datetime:
    """Now as a naive local time, comparable with stored schedules (local, without zone).

    Arrivals at and departures from the unit's own airports are in the unit's time zone, so
    the countdowns on the board are exact for them.
    """
    return datetime.now(ZoneInfo(timezone)).replace(tzinfo=None)


def home_airports(store: Store) -> list[str]:
    with store.connect() as conn:
        return list(case_repo.get_setting(conn, HOME_AIRPORTS_KEY) or [])


def set_home_airports(store: Store, actor: Actor, airports: list[str]) -> None:
    """The unit's airports (IATA): the board splits arrivals from departures by them."""
    require(actor, Permission.MANAGE_SETTINGS)
    codes = sorted({a.strip().upper() for a in airports if a.strip()})
    if any(len(c) != 3 or not c.isalpha() for c in codes):
        raise InvalidRequestError("airports are three-letter IATA codes, e.g. FRA")
    with store.begin() as conn:
        case_repo.put_setting(
            conn, HOME_AIRPORTS_KEY, codes, now=datetime.now(UTC), by=actor.username
        )
        audit.record(
            conn, actor, "change_setting", object_type="setting", object_id=HOME_AIRPORTS_KEY,
            detail={"value": codes},
        )  # fmt: skip


def board(
    store: Store,
    actor: Actor,
    *,
    timezone: str,
    hours: int = BOARD_HOURS,
    direction: str | None = None,
    carrier: str | None = None,
    with_hits: bool = False,
) -> dict[str, Any]:
    """Flights arriving or departing in the next `hours` (and the last two hours)."""
    require(actor, Permission.VIEW_FLIGHTS)
    if direction not in (None, "", "arrivals", "departures"):
        raise InvalidRequestError("direction is arrivals or departures")
    now = local_now(timezone)
    with store.connect() as conn:
        airports = list(case_repo.get_setting(conn, HOME_AIRPORTS_KEY) or [])
        rows = repo.board(
            conn,
            start=now - timedelta(hours=2),
            end=now + timedelta(hours=max(1, min(hours, 24 * 14))),
            airports=airports,
            carrier=carrier or None,
            direction=direction or None,
        )
    for row in rows:
        row["direction"] = _direction(row, airports)
        moment = row["scheduled_arrival"] if row["direction"] != "departure" else None
        moment = moment or row["scheduled_departure"]
        row["minutes_to_go"] = None if moment is None else int((moment - now).total_seconds() // 60)
    if with_hits:
        rows = [r for r in rows if r["hits"]]
    return {"now": now, "hours": hours, "airports": airports, "flights": rows}


def _direction(row: dict[str, Any], airports: list[str]) -> str:
    if row["destination"] in airports:
        return "arrival"
    if row["origin"] in airports:
        return "departure"
    return "arrival" if not airports else "overflight"


def flight_page(store: Store, actor: Actor, flight_id: int) -> dict[str, Any]:
    """A flight and its manifest: who is on it, from which source, with which hits."""
    require(actor, Permission.VIEW_FLIGHTS)
    with store.connect() as conn:
        found = repo.flight(conn, flight_id)
        if found is None:
            raise NotFoundError(f"no flight {flight_id}")
        people = repo.manifest(conn, flight_id) if actor.can(Permission.VIEW_TRAVELLERS) else []
    out = dict(found)
    out["travellers"] = people
    out["counts"] = {
        "passengers": sum(p["role"] not in repo.CREW for p in people),
        "crew": sum(p["role"] in repo.CREW for p in people),
        "api": sum(p["api_key"] is not None for p in people),
        "pnr": sum(p["pnr_key"] is not None for p in people),
        "both": sum(p["api_key"] is not None and p["pnr_key"] is not None for p in people),
    }
    return out


def record_manifest_view(
    store: Store, actor: Actor, flight_id: int, count: int, client: str | None
) -> None:
    """A manifest shows every traveller's name: one audit event for the list."""
    audit.log(
        store, actor, "view_manifest", object_type="flight", object_id=flight_id,
        detail={"travellers": count}, client=client,
    )  # fmt: skip


def traveller_page(
    store: Store, actor: Actor, traveller_id: int, *, client: str | None = None
) -> dict[str, Any]:
    """Every fact about a traveller with the message it came from, the booking and who
    travels on it, the person's other trips, hits with their explanations, notes."""
    require(actor, Permission.VIEW_TRAVELLERS)
    with store.begin() as conn:
        row = repo.traveller(conn, traveller_id)
        if row is None:
            raise NotFoundError(f"no traveller {traveller_id}")
        out = dict(row)
        out["flight"] = dict(repo.flight(conn, int(row["flight_id"])) or {})
        out["documents"] = [dict(d) for d in repo.documents(conn, traveller_id)]
        provenance: dict[str, Any] = dict(row["provenance"] or {})
        ids = {int(m) for m in provenance.values() if isinstance(m, int)}
        ids |= {int(d["message_id"]) for d in out["documents"]}
        ids |= {int(row["first_message_id"]), int(row["last_message_id"])}
        out["messages"] = {k: dict(v) for k, v in repo.message_summaries(conn, ids).items()}
        out["booking"] = repo.booking(conn, int(row["booking_id"])) if row["booking_id"] else None
        out["co_travellers"] = (
            [dict(r) for r in repo.co_travellers(conn, int(row["booking_id"]), traveller_id)]
            if row["booking_id"]
            else []
        )
        try:
            out["history"] = identity_repo.history(conn, traveller_id)
        except NotFoundError:  # not resolved into a person yet: no other trip is known
            out["history"] = {"person_id": None, "trips": [], "co_travellers": []}
        out["hits"] = [dict(h) for h in case_repo.hits_of_traveller(conn, traveller_id)]
        out["notes"] = [dict(n) for n in case_repo.notes_of(conn, traveller_id)]
        audit.record(
            conn, actor, "view_traveller", object_type="traveller", object_id=traveller_id,
            client=client,
        )  # fmt: skip
    return out


def search(
    store: Store,
    actor: Actor,
    *,
    surname: str | None = None,
    document: str | None = None,
    locator: str | None = None,
    reason: str | None = None,
    client: str | None = None,
) -> list[dict[str, Any]]:
    """Find travellers by surname, document or booking locator; every search is audited
    with its terms and the reason given."""
    require(actor, Permission.SEARCH)
    given = {"surname": surname, "document": document, "locator": locator}
    terms: dict[str, str] = {k: v.strip() for k, v in given.items() if v and v.strip()}
    if not terms:
        raise InvalidRequestError("give a surname, a document number or a booking locator")
    if len(terms.get("surname", "xx")) < 2:
        raise InvalidRequestError("a surname search needs at least two letters")
    with store.begin() as conn:
        rows = [
            dict(r)
            for r in repo.find_travellers(
                conn,
                surname=terms.get("surname"),
                document=terms.get("document"),
                locator=terms.get("locator"),
            )
        ]
        audit.record(
            conn, actor, "search", object_type="travellers",
            detail={**terms, "results": len(rows)}, reason=reason, client=client,
        )  # fmt: skip
    return rows
