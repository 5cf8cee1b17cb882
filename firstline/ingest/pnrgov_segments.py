"""Readers of single PNRGOV segments into model values, with warnings at element level.

Element layouts follow the PNRGOV IG 11.1-16.1 (checked against the IG 14.1 worked example
where it shows them); positions are 1-based as in the guide. Where the guide's public copies
leave a layout unclear (PTK, TXD, and TBD, read in `pnrgov_legs`), values are recognised by
their shape as well as by their position, so a shifted element is still read.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from firstline.ingest.edifact.dates import DateValueError
from firstline.ingest.edifact.lexer import Segment
from firstline.ingest.pnrgov_state import PnrState
from firstline.ingest.pnrgov_values import (
    flight_number,
    is_alpha_code,
    mask_cards,
    mask_long_digits,
    parse_amount,
    parse_ddmmyy,
    parse_ddmmyy_time,
)
from firstline.model.booking import (
    Agency,
    BookedLeg,
    Payment,
    RecordLocator,
    Tax,
    Ticket,
)
from firstline.model.travel import Address, FlightLeg
from firstline.model.values import card_fingerprint, last_four


def composites(seg: Segment, start: int = 1) -> list[tuple[int, list[str]]]:
    """Every occurrence of every element from `start` (1 or more), with its position."""
    pairs = list(enumerate(seg.elements[start - 1 :], start))
    repeats = seg.repeats
    if not repeats:  # the common case, one occurrence each: no per-element lookups
        return pairs
    return [
        (position, item) for position, first in pairs for item in repeats.get(position, [first])
    ]


def padded(components: list[str], count: int) -> list[str]:
    """Components stripped and padded with "" to `count` items."""
    values = [c.strip() for c in components[:count]]
    return values + [""] * (count - len(values))


def read_datetime(
    state: PnrState, seg: Segment, components: list[str], e: int, day_c: int
) -> datetime | None:
    """Date (DDMMYY) at component `day_c` of `components`, the components of element `e`
    (passed in by the caller, who holds them), and the time in the next component."""
    count = len(components)
    day = components[day_c - 1] if day_c <= count else ""
    if not day.strip():
        return None
    time = components[day_c] if day_c < count else ""
    try:
        return parse_ddmmyy_time(day, time)
    except DateValueError as exc:
        state.warn(
            seg,
            "bad_date",
            "date or time cannot be read",
            element=e,
            component=day_c,
            expected=str(exc),
            found=f"{day}:{time}" if time else day,
        )
        return None


def read_schedule(state: PnrState, seg: Segment) -> tuple[datetime | None, datetime | None]:
    """TVL element 1: departure date and time, arrival date and time."""
    schedule = seg.element(1)
    departure = read_datetime(state, seg, schedule, 1, 1)
    arrival = read_datetime(state, seg, schedule, 1, 3)
    arrival_time = seg.get(1, 4).strip()
    if arrival is None and departure is not None and arrival_time and not seg.get(1, 3).strip():
        # Arrival time without a date: the same day, or the next when it is earlier.
        try:
            same_day = parse_ddmmyy_time(departure.strftime("%d%m%y"), arrival_time)
        except DateValueError:
            return departure, None
        arrival = same_day + timedelta(days=1) if same_day < departure else same_day
    return departure, arrival


def read_airport(state: PnrState, seg: Segment, e: int) -> str | None:
    code = seg.get(e).strip().upper()
    if code and not is_alpha_code(code, 3):
        state.warn(seg, "bad_code", "not an airport code", element=e, expected="XXX", found=code)
    return code or None


def read_leg(state: PnrState, seg: Segment) -> BookedLeg:
    """Itinerary TVL: `TVL+270513:1430:270513:2205+SIN+ICN+SQ:KE+602:D`.

    The carrier element holds the marketing carrier and, for a code-share, the operating
    carrier as its second component; a TRA segment may follow with the operating flight.
    """
    departure, arrival = read_schedule(state, seg)
    marketing = seg.get(4, 1).strip().upper() or None
    operating = seg.get(4, 2).strip().upper() or None
    number = flight_number(seg.get(5, 1))
    if marketing is None or number is None:
        state.warn(
            seg,
            "empty_value",
            "TVL without a carrier or flight number",
            element=4 if marketing is None else 5,
            expected="carrier and flight number",
            found="",
        )
    return BookedLeg(
        departure_airport=read_airport(state, seg, 2),
        arrival_airport=read_airport(state, seg, 3),
        departure=departure,
        arrival=arrival,
        marketing_carrier=marketing,
        marketing_number=number,
        operating_carrier=operating if operating != marketing else None,
        booking_class=seg.get(5, 2).strip().upper() or None,
    )


def read_header_leg(state: PnrState, seg: Segment) -> FlightLeg:
    """Header TVL, the flight of the push: `TVL+270513:1430:270513:2205+SIN+ICN+SQ+602`."""
    leg = read_leg(state, seg)
    carrier = leg.marketing_carrier
    number = seg.get(5, 1).strip().upper()
    return FlightLeg(
        carrier=carrier,
        flight_designator=f"{carrier or ''}{number}" or None,
        departure_airport=leg.departure_airport,
        arrival_airport=leg.arrival_airport,
        scheduled_departure=leg.departure,
        scheduled_arrival=leg.arrival,
    )


def read_locators(state: PnrState, seg: Segment) -> list[RecordLocator]:
    """RCI: `airline:locator:type:creation DDMMYY:HHMM[SS]`, one composite per system."""
    locators = []
    for position, components in composites(seg):
        system, locator, kind = padded(components, 3)
        if not locator:
            if any(components):
                state.warn(
                    seg,
                    "empty_value",
                    "RCI composite without a locator",
                    element=position,
                    component=2,
                    expected="record locator",
                    found="",
                )
            continue
        # From the element's first occurrence, as it always was read, even for a repetition.
        created = read_datetime(state, seg, seg.element(position), position, 4)
        locators.append(
            RecordLocator(system.upper() or None, locator.upper(), kind or None, created)
        )
    return locators


def read_dates(state: PnrState, seg: Segment) -> list[tuple[str, datetime | None]]:
    """DAT: `qualifier:DDMMYY:HHMM` per element (700 last PNR change, 710 ticketing ...)."""
    dates = []
    for position, components in enumerate(seg.elements, 1):
        qualifier = components[0].strip() if components else ""
        if qualifier or (len(components) > 1 and components[1].strip()):
            dates.append((qualifier, read_datetime(state, seg, components, position, 2)))
    return dates


def read_agency(seg: Segment) -> Agency:
    """ORG in a booking, e.g. `ORG+1A:MUC+32393340:SINSQ08AA+NCE+SQ:NCE+A+SG+ELPD+CFDE59+9C`:
    system and its location, IATA agency number and office id, location of the point of
    sale, company, originator type, country and currency, agent sign, (terminal), duty code.
    """

    def value(e: int, c: int = 1) -> str | None:
        return seg.get(e, c).strip().upper() or None

    return Agency(
        system=value(1),
        location=value(3) or value(4, 2) or value(1, 2),
        agency_number=value(2),
        office_id=value(2, 2),
        company=value(4),
        originator_type=value(5),
        country=value(6),
        currency=value(6, 2),
        agent_sign=value(7),
        duty_code=value(9),
    )


def read_address(seg: Segment) -> tuple[Address | None, str | None, str | None]:
    """ADD: `ADD++purpose:street:city:state:country:postcode:phone` (the composite may also
    stand in element 1). Returns the address, the phone or e-mail, and the purpose code."""
    first = seg.element(1)
    components = first if len(first) > 1 else seg.element(2)
    # Card numbers turn up next to billing addresses; no address field holds one legitimately.
    masked = [mask_cards(c) for c in components]
    purpose, street, city, region, country, postcode, contact = padded(masked, 7)
    address = Address(
        street=street or None,
        city=city or None,
        region=region or None,
        postcode=postcode or None,
        country=country.upper() or None,
    )
    filled = any((address.street, address.city, address.region, address.postcode, address.country))
    return (address if filled else None), (contact or None), (purpose or seg.get(1) or None)


def read_payments(state: PnrState, seg: Segment, traveller_ref: str | None) -> list[Payment]:
    """FOP: `type:indicator:amount:vendor:card number:expiry` per composite.

    The card number is reduced at once to its last four digits and a keyed fingerprint; it
    is never kept, quoted in a warning or copied anywhere else.
    """
    payments = []
    for position, components in composites(seg):
        kind, _, amount_text, vendor, number, expiry = padded(components, 6)
        if not number:  # a sender that shifted the number elsewhere: a long digit run
            number = next((c for c in components if sum(ch.isdigit() for ch in c) >= 12), "")
            amount_text = "" if amount_text == number else amount_text
        amount = parse_amount(amount_text) if amount_text else None
        if amount_text and amount is None:
            state.warn(
                seg,
                "bad_amount",
                "FOP amount is not a number",
                element=position,
                component=3,
                expected="amount",
            )
        if not any((kind, amount_text, vendor, number)):
            continue
        # Codes never hold twelve digits; masking them keeps a shifted card number out.
        kind, vendor, expiry = (mask_long_digits(v) for v in (kind, vendor, expiry))
        payments.append(
            Payment(
                type=kind.upper() or None,
                card_vendor=vendor.upper() or None,
                card_last_four=last_four(number) if number else None,
                card_fingerprint=card_fingerprint(number, state.options.card_key)
                if number
                else None,
                card_expiry=expiry or None,
                amount=amount,
                traveller_ref=traveller_ref,
            )
        )
    return payments


def read_ticket(seg: Segment, traveller_ref: str | None) -> Ticket | None:
    """TKT: `number:type:coupons` (T ticket, Y EMD ...)."""
    number, kind, coupons = padded(seg.element(1), 3)
    if not number:
        return None
    return Ticket(
        number=number,
        type=kind.upper() or None,
        coupons=coupons or None,
        traveller_ref=traveller_ref,
    )


def read_amounts(state: PnrState, seg: Segment, ticket: Ticket) -> None:
    """MON: `qualifier:amount:currency` per composite; B base fare, T total (E equivalent)."""
    for position, components in composites(seg):
        qualifier, amount_text, currency = padded(components, 3)
        amount = parse_amount(amount_text) if amount_text else None
        if amount_text and amount is None:
            state.warn(
                seg,
                "bad_amount",
                "MON amount is not a number",
                element=position,
                component=2,
                expected="amount",
                found=amount_text,
            )
        qualifier = qualifier.upper()
        if qualifier == "B":
            ticket.base_amount = amount
        elif qualifier == "T":
            ticket.total_amount = amount
        else:  # E equivalent fare and others: another currency, not kept
            continue
        if currency and (qualifier == "T" or ticket.currency is None):
            ticket.currency = currency.upper()


def read_taxes(state: PnrState, seg: Segment) -> list[Tax]:
    """TXD: one tax per composite from element 2, `amount::currency:code` (read by shape)."""
    taxes = []
    for position, components in composites(seg, 2 if len(seg.elements) > 1 else 1):
        values = list(filter(None, map(str.strip, components)))
        if not values:
            continue
        amount = parse_amount(values[0])
        if amount is None:
            state.warn(
                seg,
                "bad_amount",
                "TXD amount is not a number",
                element=position,
                component=1,
                expected="amount",
                found=values[0],
            )
        currency = code = None  # the first value of each shape
        for value in values[1:]:
            upper = value.upper()
            if currency is None and len(upper) == 3 and is_alpha_code(upper, 3):
                currency = upper
            if code is None and len(value) == 2 and value.isalnum():
                code = upper
        taxes.append(Tax(code=code, amount=amount, currency=currency))
    return taxes


def read_ticketing(state: PnrState, seg: Segment, ticket: Ticket) -> None:
    """PTK: the issue date (DDMMYY, the first element that is one) and the place of issue
    (a three-letter location in a later element)."""
    date_at = None
    for position, components in enumerate(seg.elements, 1):
        value = components[0].strip() if components else ""
        if date_at is None and len(value) == 6 and value.isdigit():
            try:
                ticket.issued_on = parse_ddmmyy(value)
            except DateValueError as exc:
                state.warn(
                    seg,
                    "bad_date",
                    "ticketing date cannot be read",
                    element=position,
                    expected=str(exc),
                    found=value,
                )
            date_at = position
        elif date_at is not None and position > date_at + 1 and is_alpha_code(value, 3):
            ticket.issue_place = value
    if date_at is None and ticket.issued_on is None:
        state.warn(seg, "empty_value", "PTK without a ticketing date", expected="DDMMYY")
