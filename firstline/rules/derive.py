"""Derived facts for risk rules: pure functions from stored values to what analysts test.

Each function states its rule in analyst words. None means "the data does not say": a rule
never fires on missing data, so a function returns None rather than guessing (an unknown
birth date is not an adult, an unknown bag count is not "no bags").

Times of legs and flights are the local times airlines send. Comparing them is exact at one
airport (a connection, a stay that starts and ends in the same place) and good to a few hours
across time zones, which is the precision of "booked 6 hours before departure".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from firstline.generate.reference import airports

ADULT_AGE = 18
CONNECTION = timedelta(hours=24)  # a change of flight within this counts as a transit
LONG_STAY_DAYS = 7

# Titles airlines and card issuers put around names; dropped before comparing names.
TITLES = frozenset(
    {"MR", "MRS", "MS", "MISS", "MSTR", "MASTER", "DR", "PROF", "SIR", "MADAM", "MME", "MLLE",
     "HERR", "FRAU", "REV", "CAPT", "CHD", "INF"}
)  # fmt: skip
_NOT_NAME = re.compile(r"[^A-Z/ ]+")
_CARD_HOLDER = re.compile(r"^\s*CARD\s*HOLDER\s+(.+?)\s*$", re.IGNORECASE)


# -- reference data ---------------------------------------------------------------------------


def country_of(airport: str | None) -> str | None:
    """ISO alpha-3 country of an airport; None when the reference table does not know it."""
    if not airport:
        return None
    found = airports().get(airport.upper())
    return found.country3 if found is not None else None


def city_of(airport: str | None) -> str | None:
    """City an airport serves (several airports may serve one city); None when unknown."""
    if not airport:
        return None
    found = airports().get(airport.upper())
    return found.city if found is not None else None


def same_city(first: str, second: str) -> bool:
    """Two airports are in the same place: the same code, or both serve the same city.

    An airport missing from the reference table only equals itself: we cannot claim two
    unknown airports are in one city.
    """
    if first.upper() == second.upper():
        return True
    city = city_of(first)
    return city is not None and city == city_of(second)


# -- traveller and document ---------------------------------------------------------------------


def age_on(born: date | None, day: date | None) -> int | None:
    """Whole years of age on `day` (the departure date).

    Someone born on 29 February has their birthday on 1 March in other years: they are
    not a year older until the day after 28 February.
    """
    if born is None or day is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_minor(age: int | None) -> bool | None:
    """Under 18 on the departure date; unknown when the birth date is."""
    return None if age is None else age < ADULT_AGE


def expires_in_days(expiry: date | None, day: date | None) -> int | None:
    """Days from departure to the document's expiry; negative when already expired."""
    if expiry is None or day is None:
        return None
    return (expiry - day).days


def issued_days_ago(issued: date | None, day: date | None) -> int | None:
    """Days from the document's issue to departure (a passport issued days before travel)."""
    if issued is None or day is None:
        return None
    return (day - issued).days


# -- itinerary ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Leg:
    """One booked flight leg of a traveller's journey, in itinerary order."""

    departure_airport: str | None
    arrival_airport: str | None
    departure: datetime | None = None
    arrival: datetime | None = None


def _dedupe(values: Iterable[str | None]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value.upper(), None)
    return tuple(seen)


def itinerary_airports(legs: Sequence[Leg]) -> tuple[str, ...] | None:
    """Every airport of the booked legs, in travel order, each once."""
    if not legs:
        return None
    return _dedupe(a for leg in legs for a in (leg.departure_airport, leg.arrival_airport))


def itinerary_countries(legs: Sequence[Leg]) -> tuple[str, ...] | None:
    """Every country of the booked legs, in travel order, each once (unknown airports skipped)."""
    airports_ = itinerary_airports(legs)
    if airports_ is None:
        return None
    return _dedupe(country_of(a) for a in airports_)


def connects(first: Leg, then: Leg) -> bool:
    """`then` is a change of flight after `first`: it leaves the airport `first` lands at,
    0 to 24 hours later (inclusive). Unknown times are no connection."""
    if not first.arrival_airport or not then.departure_airport:
        return False
    if first.arrival_airport.upper() != then.departure_airport.upper():
        return False
    if first.arrival is None or then.departure is None:
        return False
    return timedelta(0) <= then.departure - first.arrival <= CONNECTION


def transit_airports(legs: Sequence[Leg]) -> tuple[str, ...] | None:
    """Airports where the journey changes flight within 24 hours, in travel order."""
    if not legs:
        return None
    return _dedupe(
        legs[i].arrival_airport for i in range(len(legs) - 1) if connects(legs[i], legs[i + 1])
    )


def _home(legs: Sequence[Leg]) -> tuple[str, bool] | None:
    """Where the journey starts, and whether places are compared by country (True) or by
    city (False). A journey that never leaves the first country (domestic) is compared by
    city, else every domestic trip would look like a return."""
    start = legs[0].departure_airport
    if not start:
        return None
    country = country_of(start)
    if country is None:
        return start.upper(), False
    leaves = any(
        (c := country_of(a)) is not None and c != country
        for leg in legs
        for a in (leg.departure_airport, leg.arrival_airport)
    )
    return (country, True) if leaves else (start.upper(), False)


def _at_home(airport: str | None, home: str, by_country: bool) -> bool:
    if not airport:
        return False
    if by_country:
        return country_of(airport) == home
    return same_city(airport, home)


def _return_index(legs: Sequence[Leg]) -> int | None:
    """Index of the first leg arriving back home after having left it, or None."""
    found = _home(legs)
    if found is None:
        return None
    home, by_country = found
    away = False
    for i, leg in enumerate(legs):
        if _at_home(leg.arrival_airport, home, by_country):
            if away:
                return i
        elif leg.arrival_airport:
            away = True
    return None


def is_one_way(legs: Sequence[Leg]) -> bool | None:
    """No leg returns to the country the journey starts from (for a journey within one
    country: to the city it starts from). An open-jaw trip that comes back to another
    airport of the home country is a return, not one-way."""
    if not legs or not legs[0].departure_airport:
        return None
    return _return_index(legs) is None


def stay_days(legs: Sequence[Leg]) -> int | None:
    """Calendar days between arriving at the journey's turning point and leaving it for home.

    The way home starts with the first leg of the trip that ends back home (legs connected
    within 24 hours are one trip); the turning point is where the leg before it lands.
    Empty for a one-way journey or when either time is unknown.
    """
    back = _return_index(legs) if legs else None
    if back is None:
        return None
    start = back
    while start > 0 and connects(legs[start - 1], legs[start]):
        start -= 1
    if start == 0:
        return None  # nothing booked before the way home: no stay to measure
    arrived, leaves = legs[start - 1].arrival, legs[start].departure
    if arrived is None or leaves is None:
        return None
    return (leaves.date() - arrived.date()).days


def in_transit(
    legs: Sequence[Leg],
    origin: str | None,
    destination: str | None,
    departure: datetime | None,
    arrival: datetime | None,
) -> bool | None:
    """The traveller changes flight at this flight's origin or destination: a booked leg lands
    at the origin 0-24 hours before this flight leaves, or leaves the destination 0-24 hours
    after this flight lands. Unknown without booked legs."""
    if not legs:
        return None
    this = Leg(origin, destination, departure, arrival)
    return any(connects(leg, this) or connects(this, leg) for leg in legs)


def is_broken_travel(legs: Sequence[Leg]) -> bool | None:
    """The journey lands somewhere and its next booked leg leaves from another city, with
    nothing booked in between (the traveller covers the gap some other way). Airports of one
    city (two London airports) are no break. Note an open-jaw trip is broken travel by this
    rule: combine with the stay length when that matters."""
    if not legs:
        return None
    for first, then in zip(legs, legs[1:], strict=False):
        if first.arrival_airport and then.departure_airport:
            if not same_city(first.arrival_airport, then.departure_airport):
                return True
    return False


# -- booking -----------------------------------------------------------------------------------


def days_before(created: datetime | None, departure_day: date | None) -> int | None:
    """Calendar days between booking creation and departure (0 = booked the same day)."""
    if created is None or departure_day is None:
        return None
    return (departure_day - created.date()).days


def hours_before(created: datetime | None, departure: datetime | None) -> int | None:
    """Whole hours between booking creation and this flight's scheduled departure."""
    if created is None or departure is None:
        return None
    return int((departure - created).total_seconds() // 3600)


def name_tokens(text: str | None) -> tuple[str, ...]:
    """Upper-case words of a name without titles or punctuation ("Dr. O'Neil" -> ONEIL)."""
    if not text:
        return ()
    cleaned = _NOT_NAME.sub("", text.upper().replace("-", " ").replace("/", " "))
    return tuple(t for t in cleaned.split() if t not in TITLES)


@dataclass(frozen=True, slots=True)
class Person:
    """A traveller of a booking as far as party rules need them."""

    surname: str | None
    given_names: str | None
    age: int | None


def party_counts(people: Sequence[Person]) -> tuple[int, int, int]:
    """Adults (18 or over), minors (under 18) and unrelated minors of a booking.

    A minor is unrelated when no adult of the booking shares any word of their surname
    (double-barrelled surnames: ORTIZ DOMINGUEZ is related to ORTIZ). With no adult at all,
    every minor is unrelated. Travellers of unknown age count as neither.
    """
    adults = [p for p in people if p.age is not None and p.age >= ADULT_AGE]
    minors = [p for p in people if p.age is not None and p.age < ADULT_AGE]
    adult_words = {w for p in adults for w in name_tokens(p.surname)}
    unrelated = sum(1 for p in minors if not adult_words.intersection(name_tokens(p.surname)))
    return len(adults), len(minors), unrelated


def card_holders(holders: Iterable[str | None], remarks: Iterable[str]) -> list[str]:
    """Card holder names known for a booking: the payment's holder field, and "CARD HOLDER
    <name>" remarks (how PNRGOV EDIFACT carries it, in a free-text IFT)."""
    found = [h.strip() for h in holders if h and h.strip()]
    for remark in remarks:
        match = _CARD_HOLDER.match(remark) if isinstance(remark, str) else None
        if match:
            found.append(match.group(1))
    return found


def _holder_is(holder: str, person: tuple[str | None, str | None]) -> bool:
    surname = name_tokens(person[0])
    given = name_tokens(person[1])
    if not surname:
        return False
    if "/" in holder:
        holder_surname, _, holder_given = holder.partition("/")
        if name_tokens(holder_surname) != surname:
            return False
        words = name_tokens(holder_given)
        # Cards often carry the first given name or initials only.
        return all(
            w in given or (len(w) == 1 and any(g.startswith(w) for g in given)) for w in words
        )
    holder_words = set(name_tokens(holder))
    return set(surname) <= holder_words <= set(surname) | set(given)


def is_third_party(
    holders: Sequence[str], travellers: Iterable[tuple[str | None, str | None]]
) -> bool | None:
    """A card holder is none of the booking's travellers (names compared upper-case, without
    titles or punctuation; the holder may give fewer given names). Unknown when no holder
    name is known."""
    if not holders:
        return None
    people = list(travellers)
    return any(not any(_holder_is(h, p) for p in people) for h in holders)


def payment_forms(types: Iterable[str | None]) -> tuple[str, ...] | None:
    """Forms of payment of the booking (CC card, CA cash, IN invoice ...), each once."""
    forms = _dedupe(types)
    return forms or None


def paid_cash(forms: tuple[str, ...] | None) -> bool | None:
    """At least one payment in cash; unknown when no payment is known."""
    return None if forms is None else "CA" in forms


def payment_amount(amounts: Iterable[float | None]) -> float | None:
    """Sum of the booking's payment amounts (currencies as sent); unknown with no amount."""
    known = [a for a in amounts if a is not None]
    return round(sum(known), 2) if known else None


def email_domains(emails: Iterable[str]) -> tuple[str, ...]:
    """Domains of e-mail addresses, upper-case, each once."""
    return _dedupe(e.rsplit("@", 1)[1].strip() for e in emails if "@" in e)


def bag_count(checked: int | None, tag_counts: Sequence[int]) -> int | None:
    """Checked bags: as stated, else the bags the traveller's bag tags number."""
    if checked is not None:
        return checked
    return sum(tag_counts) if tag_counts else None


def none_on_long_stay(bags: int | None, stay: int | None) -> bool | None:
    """No checked bag although the stay lasts a week or more. False as soon as either part is
    known to be false (bags checked, a stay under a week); unknown otherwise, including a
    one-way journey (no stay to measure)."""
    if (bags is not None and bags > 0) or (stay is not None and stay < LONG_STAY_DAYS):
        return False
    if bags is None or stay is None:
        return None
    return True
