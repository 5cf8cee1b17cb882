"""One `PNR` element to a Booking: locators, agency, travellers, itinerary, check-in.

Children are read by local name in any order. Passengers are created first so that SSRs,
DOCS and check-in data anywhere in the PNR can find the passenger they name (by `RPH`, else
by name). Check-in data is held per leg until the push knows which leg is its flight: only
there does it become the traveller's seat and check-in status.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element

from firstline.ingest.pnrgov_xml_items import (
    PnrState,
    read_bag,
    read_contact_info,
    read_payment,
    read_ticket,
)
from firstline.ingest.pnrgov_xml_travellers import (
    check_infants,
    link_infants,
    read_passenger,
    read_passenger_items,
    read_ssr,
)
from firstline.ingest.pnrgov_xml_tree import (
    attr,
    child,
    children,
    local_name,
    present,
    text,
    value,
    walk,
)
from firstline.ingest.pnrgov_xml_values import (
    Context,
    name_key,
    parse_iso_datetime,
    read_code,
    read_datetime,
    read_flight_number,
    read_int,
    scrub_card_numbers,
)
from firstline.model.booking import (
    Agency,
    BagTagRun,
    BookedLeg,
    Booking,
    CheckIn,
    HistoryEntry,
    PnrTraveller,
    RecordLocator,
)

_REMARKS = frozenset({"OSI", "OtherServiceInfo", "Remark", "GeneralRemark", "SpecialRemark"})
_READ_FIRST = frozenset({"Passenger", "BookingRefID", "POS", "Flight"})


@dataclass(slots=True)
class PendingCheckIn:
    check_in: CheckIn
    element: Element
    traveller: PnrTraveller | None


@dataclass(slots=True)
class MappedLeg:
    leg: BookedLeg
    element: Element
    check_ins: list[PendingCheckIn] = field(default_factory=list)
    has_check_in: bool = False


@dataclass(slots=True)
class MappedPnr:
    booking: Booking
    element: Element
    state: PnrState
    legs: list[MappedLeg] = field(default_factory=list)


def read_pnr(ctx: Context, element: Element) -> MappedPnr:
    """Map one `PNR`; never raises on content."""
    line, _ = ctx.doc.line_of(element)
    # Two-digit birth years in DOCS are read against this booking's first flight.
    first_departure = _first_departure(element)
    if first_departure is not None:
        ctx = dataclasses.replace(ctx, reference=first_departure.date())
    booking = Booking(segment_index=line)
    state = PnrState(ctx=ctx, booking=booking)
    mapped = MappedPnr(booking=booking, element=element, state=state)
    _read_dates(state, element)
    for ref in children(element, "BookingRefID"):
        _read_locator(state, ref)
    if not booking.locators:
        ctx.warn(element, "missing_locator", "PNR without a BookingRefID", expected="BookingRefID")
    pos = child(element, "POS")
    if pos is not None:
        _read_agency(state, pos)
    passengers = [(read_passenger(state, p), p) for p in children(element, "Passenger")]
    link_infants(state)
    for traveller, passenger in passengers:
        read_passenger_items(state, traveller, passenger)
    # The itinerary before other items: a PNR-level SSR may name a leg by its airports.
    for item in children(element, "Flight"):
        mapped.legs.append(_read_leg(state, item, len(mapped.legs) + 1))
    for item in element:
        if local_name(item.tag) not in _READ_FIRST:
            _read_item(mapped, item)
    check_infants(state)
    return mapped


def _first_departure(element: Element) -> datetime | None:
    for flight in children(element, "Flight"):
        raw = attr(flight, "DepartureDateTime")
        parsed = parse_iso_datetime(raw) if raw else None
        if parsed is not None:
            return parsed
    return None


def _read_dates(state: PnrState, element: Element) -> None:
    ctx, booking = state.ctx, state.booking
    booking.number_in_party = read_int(ctx, element, "NumberOfPassengers")
    booking.created_at = read_datetime(ctx, element, "PNR_CreationDate", "CreationDate")
    booking.last_modified = read_datetime(ctx, element, "PNR_TransDate", "TransDate")
    # LastTktDate: the date of the latest ticket issued on the PNR (EDIFACT DAT 710).
    booking.ticketed_at = read_datetime(ctx, element, "LastTktDate")
    created, modified = booking.created_at, booking.last_modified
    if created and modified and modified < created:
        ctx.warn(
            element,
            "modified_before_created",
            "PNR_TransDate is earlier than PNR_CreationDate",
            expected=f"on or after {created.isoformat()}",
            found=modified.isoformat(),
        )


def _read_locator(state: PnrState, element: Element) -> None:
    locator = attr(element, "ID")
    if locator is None:
        state.ctx.warn(element, "missing_locator", "BookingRefID without an ID", expected="ID")
        return
    company = child(element, "CompanyName")
    system = read_code(company, "Code", "CompanyShortName") or (text(company) or "").upper()
    found = RecordLocator(system=system or None, locator=locator, kind=attr(element, "Type"))
    locators = state.booking.locators
    if any((r.system, r.locator) == (found.system, found.locator) for r in locators):
        return
    if not locators:
        found.created_at = state.booking.created_at
    locators.append(found)


def _read_agency(state: PnrState, pos: Element) -> None:
    source = child(pos, "Source")
    if source is None:
        return
    requestor = child(source, "RequestorID")
    company = child(requestor, "CompanyName") if requestor is not None else None
    agency = Agency(
        system=read_code(source, "AirlineVendorID"),
        location=read_code(source, "AirportCode"),
        agency_number=attr(requestor, "ID"),
        office_id=value(source, "PseudoCityCode"),
        company=text(company) or attr(company, "CompanyShortName"),
        originator_type=read_code(child(source, "BookingChannel"), "Type"),
        country=read_code(source, "ISOCountry"),
        currency=read_code(source, "ISOCurrency"),
        agent_sign=value(source, "AgentSine"),
        duty_code=value(source, "AgentDutyCode"),
    )
    if agency != Agency():
        state.booking.agency = agency
    country = agency.country
    if country and len(country) == 2 and country.isascii() and country.isalpha():
        state.region = country


def _read_item(mapped: MappedPnr, item: Element) -> None:
    state = mapped.state
    name = local_name(item.tag)
    if name == "ContactInfo":
        read_contact_info(state, item)
    elif name == "SSR":
        read_ssr(state, item, leg_ref=_leg_for_points(mapped, item))
    elif name == "PrepaidBag":
        read_bag(state, item, "PDBG", None)
    elif name == "ExcessBaggage":
        read_bag(state, item, "EBD", None)
    elif name == "TicketDocument":
        read_ticket(state, item, value(item, "RPH", "TravelerRefNumber"))
    elif name in ("PaymentInfo", "FormOfPayment"):
        read_payment(state, item, value(item, "RPH", "TravelerRefNumber"))
    elif name in _REMARKS:
        content = text(child(item, "Text", "FreeText")) or text(item)
        if content:
            state.booking.remarks.append(scrub_card_numbers(content))
    elif name == "History":
        _read_history(state, item)
    else:
        state.unexpected_element(item, "PNR")


def _leg_for_points(mapped: MappedPnr, element: Element) -> str | None:
    """A PNR-level SSR with BoardPoint/OffPoint refers to the itinerary leg between them."""
    board, off = read_code(element, "BoardPoint"), read_code(element, "OffPoint")
    for position, leg in enumerate(mapped.booking.itinerary, 1):
        if board and (leg.departure_airport, leg.arrival_airport) == (board, off):
            return str(position)
    return None


def _read_history(state: PnrState, element: Element) -> None:
    ctx = state.ctx
    for item in element:
        words = [w for node in walk(item) if (w := text(node))]
        state.booking.history.append(
            HistoryEntry(
                action=read_code(item, "Action", "ActionCode"),
                office=value(item, "PseudoCityCode", "OfficeID"),
                agent=value(item, "AgentSine", "AgentID"),
                at=read_datetime(ctx, item, "DateTime", "TimeStamp", "Timestamp"),
                text=scrub_card_numbers(" ".join(words)) if words else local_name(item.tag),
            )
        )


# --- itinerary -------------------------------------------------------------------------------


def _airport(ctx: Context, element: Element, name: str) -> str | None:
    node = child(element, name)
    code = read_code(node, "LocationCode", "Code") or (text(node) or "").upper() or None
    code = code or read_code(element, name)
    if code is not None and not (len(code) == 3 and code.isascii() and code.isalpha()):
        ctx.warn(
            present(node, element), "bad_code", f"{name} is not an IATA airport code", found=code
        )
    return code


def _read_leg(state: PnrState, element: Element, position: int) -> MappedLeg:
    """A `Flight` of the itinerary; its SSRs, locators and check-ins."""
    ctx = state.ctx
    marketing = child(element, "MarketingAirline")
    operating = child(element, "OperatingAirline")
    carrier = _airline(marketing) or read_code(element, "CarrierCode", "AirlineCode")
    number = read_flight_number(ctx, element, "FlightNumber")
    if number is None and marketing is not None:
        number = read_flight_number(ctx, marketing, "FlightNumber")
    leg = BookedLeg(
        departure_airport=_airport(ctx, element, "DepartureAirport"),
        arrival_airport=_airport(ctx, element, "ArrivalAirport"),
        departure=read_datetime(ctx, element, "DepartureDateTime"),
        arrival=read_datetime(ctx, element, "ArrivalDateTime"),
        marketing_carrier=carrier,
        marketing_number=number,
        booking_class=read_code(element, "ResBookDesigCode"),
        status=read_code(element, "Status"),
        party_size=read_int(ctx, element, "NumberInParty"),
        equipment=read_code(child(element, "Equipment"), "AirEquipType"),
    )
    if operating is not None:
        operated_by = _airline(operating)
        operated_as = read_flight_number(ctx, operating, "FlightNumber")
        if operated_by != carrier or operated_as not in (None, number):
            leg.operating_carrier, leg.operating_number = operated_by, operated_as
    if leg.departure and leg.arrival and leg.arrival < leg.departure:
        ctx.warn(element, "arrival_before_departure", "Flight arrives before it departs")
    state.booking.itinerary.append(leg)
    mapped = MappedLeg(leg=leg, element=element)
    leg_ref = attr(element, "RPH") or str(position)
    for item in element:
        name = local_name(item.tag)
        if name == "SSR":
            read_ssr(state, item, leg_ref=leg_ref)
        elif name == "BookingRefID":
            _read_locator(state, item)
        elif name == "CheckInInfo":
            mapped.has_check_in = True
            mapped.check_ins.extend(_read_check_in(state, item))
    return mapped


def _airline(element: Element | None) -> str | None:
    return read_code(element, "Code", "CompanyShortName") or (text(element) or "").upper() or None


def _read_check_in(state: PnrState, element: Element) -> list[PendingCheckIn]:
    """`CheckInInfo`: one `BoardingNumber` per checked-in passenger, with seat and bags."""
    found = []
    at = read_datetime(state.ctx, element, "Time", "CheckInDateTime")
    for boarding in children(element, "BoardingNumber") or [element]:
        seat = present(child(boarding, "SeatNumber"), child(element, "SeatNumber"))
        check_in = CheckIn(
            boarding_number=attr(boarding, "Number", "BoardingNumber") or text(boarding),
            seat=(text(seat) or attr(seat, "SeatNumber", "Number") or "").upper() or None,
            cabin=read_code(seat, "CabinClass"),
            checked_in_at=at,
        )
        _read_bags(state, boarding, check_in)
        traveller = _checked_in_traveller(state, boarding)
        check_in.traveller_ref = traveller.reference if traveller else attr(boarding, "RPH")
        found.append(PendingCheckIn(check_in=check_in, element=boarding, traveller=traveller))
    return found


def _checked_in_traveller(state: PnrState, boarding: Element) -> PnrTraveller | None:
    reference = attr(boarding, "RPH", "TravelerRefNumber")
    person = child(boarding, "Passenger")
    names = present(child(person, "PersonName"), person) if person is not None else None
    wanted = name_key(value(names, "Surname"), value(names, "GivenName"))
    by_name = None
    if wanted != ("", ""):
        by_name = next(
            (t for t in state.booking.travellers if name_key(t.surname, t.given_names) == wanted),
            None,
        )
    by_reference = state.by_reference.get(reference) if reference else None
    if by_reference is not None and by_name is not None and by_reference is not by_name:
        state.ctx.warn(
            boarding,
            "check_in_name_mismatch",
            "check-in RPH and passenger name point at different passengers; RPH kept",
            found=reference,
        )
    traveller = by_reference or by_name
    if traveller is None:
        state.ctx.warn(
            boarding,
            "unmatched_check_in",
            "check-in names no passenger of the PNR (by RPH or name)",
            found=reference,
        )
    return traveller


def _read_bags(state: PnrState, element: Element, check_in: CheckIn) -> None:
    ctx = state.ctx
    for bags in children(element, "Baggage", "CheckedBaggage", "BaggageInfo"):
        check_in.bag_pieces = read_int(ctx, bags, "Quantity", "Pieces")
        weight = read_int(ctx, bags, "Weight")
        check_in.bag_weight = float(weight) if weight is not None else None
        check_in.bag_weight_unit = value(bags, "UnitOfMeasure", "WeightUnit")
        check_in.bag_pool_head = value(bags, "PoolHead", "HeadOfPool")
        for tag in children(bags, "BagTag"):
            serial = value(tag, "Number", "TagNumber", "SerialNumber")
            if serial is None:
                ctx.warn(tag, "missing_value", "BagTag without a number", expected="Number")
                continue
            check_in.bag_tags.append(
                BagTagRun(
                    carrier_code=value(tag, "CarrierCode", "IssuerCode"),
                    first_serial=serial,
                    count=read_int(ctx, tag, "Quantity", "Count") or 1,
                    destination=read_code(tag, "Destination", "FinalDestination"),
                )
            )


def apply_check_ins(ctx: Context, mapped: MappedPnr) -> None:
    """Check-ins of the pushed flight become seats and statuses; others are dropped."""
    for mapped_leg in mapped.legs:
        for pending in mapped_leg.check_ins:
            if not mapped_leg.leg.is_pushed_flight:
                ctx.warn(
                    pending.element,
                    "check_in_other_leg",
                    "check-in data on a leg other than the pushed flight; dropped",
                )
                continue
            mapped.booking.check_ins.append(pending.check_in)
            traveller = pending.traveller
            if traveller is not None:
                traveller.checked_in = True
                traveller.seat = pending.check_in.seat or traveller.seat
