"""Which flight a PNR push is about, from all the evidence in the message.

GTAS keyed a push on its header TVL alone, so a stale header (a template left from another
flight) attached every booking to the wrong flight. Here the header TVL, the itinerary legs
of the bookings and the UNH common access reference are weighed together. The rule:

1. every flight named by the header or by an itinerary leg (operating and marketing
   designators both count, so a code-share meets its operating flight) is a candidate,
   identified by designator, departure date and origin;
2. the candidate held by the most bookings wins: a push lists the bookings with a seat on
   its flight, so that flight is common to them;
3. ties go to the header TVL, then to the flight with check-in data under it (the IG puts
   check-in only under the pushed flight), then to the one the common access reference
   names, then to the first seen;
4. with no header and no itinerary, the common access reference gives the flight.
The mapper warns when the header loses (`header_flight_mismatch`) or is missing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from firstline.ingest.edifact.dates import DateValueError
from firstline.ingest.pnrgov_values import flight_number, parse_ddmmyy
from firstline.model.booking import BookedLeg, Booking
from firstline.model.travel import Flight, FlightLeg

_DESIGNATOR = re.compile(r"([A-Z0-9]{2}[A-Z]?)0*([0-9]{1,5}[A-Z]?)")
_CARRIER = re.compile(r"[A-Z0-9]{2}[A-Z]?")


@dataclass(slots=True, frozen=True)
class FlightKey:
    carrier: str
    number: str
    day: date | None
    origin: str | None

    def matches(self, leg: BookedLeg) -> bool:
        """`leg` is this flight under its marketing or operating designator (an unknown
        date or origin on either side does not count against it)."""
        designators = (
            (leg.marketing_carrier, leg.marketing_number),
            (leg.operating_carrier, leg.operating_number),
        )
        if (self.carrier, self.number) not in designators:
            return False
        if self.day and leg.departure and leg.departure.date() != self.day:
            return False
        return not (self.origin and leg.departure_airport and leg.departure_airport != self.origin)

    def describe(self) -> str:
        day = self.day.strftime("%d%m%y") if self.day else "?"
        return f"{self.carrier}{self.number} {day} {self.origin or '?'}"


@dataclass(slots=True, frozen=True)
class Reference:
    """What the UNH common access reference says: `BA3401/060717/1745`, `270513/0649/SQ/602`."""

    carrier: str | None
    number: str | None
    day: date | None


@dataclass(slots=True)
class Choice:
    key: FlightKey | None
    flight: Flight | None
    source: str  # "header", "itinerary", "reference" or "none"
    header_key: FlightKey | None = None


def header_key(leg: FlightLeg | None) -> FlightKey | None:
    if leg is None or not leg.carrier or not leg.flight_designator:
        return None
    number = flight_number(leg.flight_designator[len(leg.carrier) :])
    if number is None:
        return None
    day = leg.scheduled_departure.date() if leg.scheduled_departure else None
    return FlightKey(leg.carrier, number, day, leg.departure_airport)


def leg_keys(leg: BookedLeg) -> list[FlightKey]:
    """The operating designator first (it names the aircraft), then the marketing one."""
    day = leg.departure.date() if leg.departure else None
    keys = []
    for carrier, number in (
        (leg.operating_carrier, leg.operating_number),
        (leg.marketing_carrier, leg.marketing_number),
    ):
        if carrier and number:
            keys.append(FlightKey(carrier, number, day, leg.departure_airport))
    return keys


def parse_reference(text: str | None) -> Reference | None:
    if not text:
        return None
    tokens = [t.strip().upper() for t in text.split("/")]
    carrier = number = None
    day = None
    for position, token in enumerate(tokens):
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        designator = _DESIGNATOR.fullmatch(token)
        if carrier is None and designator and not designator.group(1).isdigit():
            carrier, number = designator.group(1), designator.group(2)
        elif (
            carrier is None
            and _CARRIER.fullmatch(token)
            and not token.isdigit()
            and following.isdigit()
            and len(following) <= 5
        ):
            carrier, number = token, flight_number(following)
        elif day is None and len(token) == 6 and token.isdigit():
            try:
                day = parse_ddmmyy(token)
            except DateValueError:
                continue
    if carrier is None and day is None:
        return None
    return Reference(carrier, number, day)


def choose_flight(
    header: FlightLeg | None,
    reference: Reference | None,
    bookings: list[Booking],
    check_in_legs: list[BookedLeg],
) -> Choice:
    key_of_header = header_key(header)
    counts: Counter[FlightKey] = Counter()
    first_leg: dict[FlightKey, BookedLeg] = {}
    for booking in bookings:
        held: set[FlightKey] = set()  # a booking counts once per flight, however many legs
        for leg in booking.itinerary:
            for key in leg_keys(leg):
                held.add(key)
                first_leg.setdefault(key, leg)
        counts.update(held)
    checked = {key for leg in check_in_legs for key in leg_keys(leg)}
    candidates = list(first_leg)
    if key_of_header is not None:
        candidates.insert(0, key_of_header)
        counts[key_of_header] = sum(
            any(key_of_header.matches(leg) for leg in booking.itinerary) for booking in bookings
        )
    if not candidates:
        return _from_reference(reference, header)

    def score(key: FlightKey) -> tuple[int, bool, bool, bool]:
        named = reference is not None and (reference.carrier, reference.number) == (
            key.carrier,
            key.number,
        )
        return counts[key], key == key_of_header, key in checked, named

    best = max(candidates, key=score)
    if best == key_of_header and header is not None:
        match = next((leg for b in bookings for leg in b.itinerary if best.matches(leg)), None)
        return Choice(best, _header_flight(best, header, match), "header", key_of_header)
    return Choice(best, _leg_flight(best, first_leg[best]), "itinerary", key_of_header)


def mark_pushed(key: FlightKey, bookings: list[Booking]) -> list[Booking]:
    """Flag the legs of `key` in every booking; return the bookings that do not hold it."""
    missing = []
    for booking in bookings:
        found = False
        for leg in booking.itinerary:
            if key.matches(leg):
                leg.is_pushed_flight = found = True
        if booking.itinerary and not found:
            missing.append(booking)
    return missing


def _header_flight(key: FlightKey, header: FlightLeg, match: BookedLeg | None) -> Flight:
    """The header leg, its gaps (an arrival time, an airport) filled from an itinerary leg."""
    if match is not None:
        header.departure_airport = header.departure_airport or match.departure_airport
        header.arrival_airport = header.arrival_airport or match.arrival_airport
        header.scheduled_departure = header.scheduled_departure or match.departure
        header.scheduled_arrival = header.scheduled_arrival or match.arrival
    return Flight(carrier=key.carrier, number=key.number, legs=[header])


def _leg_flight(key: FlightKey, leg: BookedLeg) -> Flight:
    flight_leg = FlightLeg(
        carrier=key.carrier,
        flight_designator=f"{key.carrier}{key.number}",
        departure_airport=leg.departure_airport,
        arrival_airport=leg.arrival_airport,
        scheduled_departure=leg.departure,
        scheduled_arrival=leg.arrival,
    )
    return Flight(carrier=key.carrier, number=key.number, legs=[flight_leg])


def _from_reference(reference: Reference | None, header: FlightLeg | None) -> Choice:
    if reference is None or reference.carrier is None or reference.number is None:
        flight = None
        if header is not None and header.carrier:  # a header without a flight number
            flight = Flight(carrier=header.carrier, number=None, legs=[header])
        return Choice(None, flight, "header" if flight else "none")
    leg = FlightLeg(
        carrier=reference.carrier,
        flight_designator=f"{reference.carrier}{reference.number}",
    )
    if header is not None:  # whatever the header did say (airports, times) still helps
        leg = header
        leg.carrier = reference.carrier
        leg.flight_designator = f"{reference.carrier}{reference.number}"
    key = FlightKey(reference.carrier, reference.number, reference.day, leg.departure_airport)
    return Choice(key, Flight(reference.carrier, reference.number, legs=[leg]), "reference")
