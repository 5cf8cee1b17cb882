"""Plain-data views of domain objects for `firstline parse --json` (see docs/parse-json.md)."""

from __future__ import annotations

from dataclasses import asdict, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from firstline.model.booking import PnrPush
from firstline.model.travel import Flight, PassengerList

_SCALARS = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def to_plain(value: Any) -> Any:
    """Dataclasses, enums and dates to JSON-ready dicts, lists and ISO strings.

    Runs for every stored booking, so field names are cached per class and scalars return
    at the first test.
    """
    if isinstance(value, _SCALARS):
        return value.value if isinstance(value, Enum) else value
    cls = type(value)
    names = _FIELD_NAMES.get(cls)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: to_plain(getattr(value, name)) for name in names}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def _flight_view(flight: Flight | None, *, legs: bool) -> dict[str, Any] | None:
    if flight is None:
        return None
    view = {
        "carrier": flight.carrier,
        "number": flight.number,
        "designator": flight.designator,
        "origin": flight.origin,
        "destination": flight.destination,
        "scheduled_departure": to_plain(flight.scheduled_departure),
        "scheduled_arrival": to_plain(flight.scheduled_arrival),
    }
    if legs:
        view["legs"] = to_plain(flight.legs)
    return view


def passenger_list_view(message: PassengerList) -> dict[str, Any]:
    """The documented JSON shape of one (possibly reassembled) PAXLST message."""
    flight = message.flight
    header = asdict(message.header)
    return {
        "type": "PAXLST",
        "header": header,
        "document_code": message.document_code,
        "document_id": message.document_id,
        "is_crew_list": message.is_crew_list,
        "transaction_reference": message.transaction_reference,
        "reporting_party": to_plain(message.reporting_party),
        "flight": _flight_view(flight, legs=True),
        "parts": message.parts,
        "declared_passengers": message.declared_passengers,
        "declared_crew": message.declared_crew,
        "travellers": [_traveller(t) for t in message.travellers],
        "warnings": [w.as_dict() for w in message.warnings],
    }


def _traveller(traveller: Any) -> dict[str, Any]:
    data: dict[str, Any] = to_plain(traveller)
    data["identity_key"] = traveller.identity_key()
    return data


def pnr_push_view(push: PnrPush) -> dict[str, Any]:
    """The documented JSON shape of one PNRGOV push (EDIFACT or XML)."""
    flight = push.flight
    return {
        "type": "PNRGOV",
        "format": push.format,
        "header": asdict(push.header),
        "sender": push.sender,
        "flight": _flight_view(flight, legs=False),
        "declared_bookings": push.declared_bookings,
        "sensitive_removed": push.sensitive_removed,
        "bookings": [
            {"record_locator": b.record_locator, "booking_key": b.key(), **to_plain(b)}
            for b in push.bookings
        ],
        "warnings": [w.as_dict() for w in push.warnings],
    }
