"""Connections at a hub: bookings that hold an inbound and an onward flight of the same day.

`plan_connections` pairs the day's flights before any is written: a flight reaching a hub
connects to some flights leaving it 45 minutes to 6 hours after it lands (not back to where it
came from). Each connecting booking is known by a key only; `draw_connection` draws it from
that key for whichever of its two flights is being written, so both flights render the same
people, locator, tickets and itinerary while memory holds no more than the plan.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from firstline.generate.people import SEAT_LETTERS, Booking, Flight, draw_booking

MIN_CONNECTION = timedelta(minutes=45)
MAX_CONNECTION = timedelta(hours=6)
ONWARD_FLIGHTS = (1, 2, 2, 3, 3, 4, 5)  # onward flights an inbound flight connects to
BOOKINGS_PER_CONNECTION = (2, 6)  # connecting bookings per pair of flights, inclusive
LATE_BOOKING_SHARE = 0.15


@dataclass(frozen=True, slots=True)
class Connection:
    seed: str  # "<seed>:<day>": with the rest, seeds the booking
    inbound: int  # flight indexes in the day's plan
    onward: int
    number: int  # of the bookings connecting these two flights

    @property
    def key(self) -> str:
        return f"{self.seed}:connection:{self.inbound}:{self.onward}:{self.number}"


def plan_connections(
    seed: int, day: date, hubs: Sequence[str], flights: Sequence[Flight]
) -> dict[int, list[Connection]]:
    """The connecting bookings of each flight (by index), deterministic for the seed and day."""
    planned: dict[int, list[Connection]] = {}
    prefix = f"{seed}:{day.isoformat()}"
    for hub in dict.fromkeys(hubs):
        leaving = sorted((f.departure, j) for j, f in enumerate(flights) if f.origin == hub)
        times = [when for when, _ in leaving]
        for i, inbound in enumerate(flights):
            if inbound.destination != hub:
                continue
            rng = random.Random(f"{seed}:{day.isoformat()}:connections:{i}")
            low = bisect_left(times, inbound.arrival + MIN_CONNECTION)
            high = bisect_right(times, inbound.arrival + MAX_CONNECTION)
            wanted = min(high - low, rng.choice(ONWARD_FLIGHTS))
            for k in sorted(rng.sample(range(low, high), wanted)):
                j = leaving[k][1]
                if flights[j].destination == inbound.origin:  # no round trip through the hub
                    continue
                for n in range(rng.randint(*BOOKINGS_PER_CONNECTION)):
                    connection = Connection(prefix, i, j, n)
                    planned.setdefault(i, []).append(connection)
                    planned.setdefault(j, []).append(connection)
    return planned


def draw_connection(connection: Connection, flights: Sequence[Flight], written: int) -> Booking:
    """The connecting booking as the push and lists of flight `written` carry it: the same
    people and details on both flights, a seat on the flight written."""
    inbound, onward = flights[connection.inbound], flights[connection.onward]
    rng = random.Random(connection.key)
    booking = draw_booking(rng, inbound, key=connection.key)
    if rng.random() < LATE_BOOKING_SHARE:
        booking.created = inbound.departure - timedelta(hours=rng.randrange(25, 71))
    booking.legs = [inbound, onward]
    if written == connection.onward:
        seats = random.Random(f"{connection.key}:{onward.designator}")
        for person in booking.travellers:
            if person.seat is not None:
                row, letter = seats.randrange(1, 45), seats.choice(SEAT_LETTERS)
                person.seat = f"{row}{letter}"
    return booking
