"""PNRGOV XML (`IATA_PNRGOV_NotifRQ`, IATA 2007/00) to the booking model.

Elements are matched on local names wherever they sit, so the namespace may be on the root,
on inner elements only (as in public samples) or nowhere, and `PNR` elements are found under
any root (`<DaneXML>` wrappers included). Warnings carry the element's local name as
`segment` and the line and column of its start tag.

The pushed flight comes from `FlightLeg` when it matches an itinerary leg. Without one (or
when it matches none, e.g. a stale header) it is the first leg with check-in data, else a
leg with the header's flight number, else the first leg of the first booking, with a
warning either way; every leg of that flight in any booking is marked `is_pushed_flight`.

Module layout: `pnrgov_xml_tree` (safe parsing, positions, local names), `_values` (dates,
numbers, names), `_booking` (PNR, itinerary, check-in), `_travellers` (Passenger, SSR),
`_items` (contacts, bags, tickets, payments), `_docs` (DOCS/DOCA/DOCO).
"""

from __future__ import annotations

from datetime import date
from xml.etree.ElementTree import Element

from firstline.exc import ParseError, UnsupportedMessageError
from firstline.ingest.options import ParseOptions
from firstline.ingest.pnrgov_xml_booking import MappedLeg, MappedPnr, apply_check_ins, read_pnr
from firstline.ingest.pnrgov_xml_tree import (
    XmlDocument,
    attr,
    child,
    is_synthetic_root,
    load_xml,
    local_name,
    value,
    walk,
)
from firstline.ingest.pnrgov_xml_values import (
    Context,
    read_code,
    read_datetime,
    read_flight_number,
    read_int,
)
from firstline.model.booking import BookedLeg, PnrPush
from firstline.model.message import MessageHeader
from firstline.model.travel import Flight, FlightLeg
from firstline.texts import N_

ROOT = "IATA_PNRGOV_NotifRQ"
# Elements that only a PNR push has: a document holding some but no PNR is a broken push.
_PNR_VOCABULARY = frozenset(
    {"PNRs", "FlightLeg", "Originator", "BookingRefID", "Passenger", "DOC_SSR", "CheckInInfo"}
)
_ROOT_EXTRAS = {
    "Version": "version",
    "Target": "target",
    "SequenceNmbr": "sequence",
    "TransactionStatusCode": "transaction_status",
    "RetransmissionIndicator": "retransmission",
}


def read_pnrgov_xml(data: bytes, *, options: ParseOptions) -> PnrPush:
    """Read one PNRGOV XML delivery.

    Raises ParseError (quarantine) when the bytes are not XML, are refused (DTD, entities)
    or hold no PNR; UnsupportedMessageError for well-formed XML of another kind. Content
    problems (bad dates, unknown codes, missing parts) are warnings on the push.
    """
    doc = load_xml(data)
    pnr_elements = _find(doc.root, "PNR")
    if not pnr_elements:
        _refuse(doc)
    push = PnrPush(header=MessageHeader(message_type="PNRGOV", directory="XML"), format="xml")
    ctx = Context(doc=doc, options=options, warnings=push.warnings, reference=options.today)
    _read_root(ctx, push)
    header_flight = _read_flight_leg(ctx, push)
    if header_flight is not None and header_flight.departure_date is not None:
        ctx.reference = header_flight.departure_date
    mapped = [read_pnr(ctx, element) for element in pnr_elements]
    push.bookings = [m.booking for m in mapped]
    _check_count(ctx, push)
    _choose_pushed_flight(ctx, push, header_flight, mapped)
    for pnr in mapped:
        apply_check_ins(ctx, pnr)
    return push


def _find(root: Element, name: str) -> list[Element]:
    """Elements named `name` anywhere, not looking inside them or inside a PNR."""
    found: list[Element] = []
    stack = [root]
    while stack:
        current = stack.pop()
        tag = local_name(current.tag)
        if tag == name:
            found.append(current)
        elif tag != "PNR" or current is root:
            stack.extend(reversed(list(current)))
    return found


def _refuse(doc: XmlDocument) -> None:
    """No PNR at all: an empty standard push is fine, anything else is refused."""
    root = doc.root
    name = local_name(root.tag)[:60]
    if name == ROOT:
        return
    line, _ = doc.line_of(root)
    if doc.wrapped:
        top = [local_name(c.tag)[:60] for c in root]
        first_line = doc.line_of(root[0])[0] if len(root) else None
        raise ParseError(
            N_(
                "no PNR element: the XML has no single root element and its top-level "
                "elements hold no PNR"
            ),
            segment=top[0] if top else None,
            line=first_line,
            expected="PNR",
            # What the message held, in no language: the first names and how many more.
            found=", ".join(top[:5]) + (f", … (+{len(top) - 5})" if len(top) > 5 else ""),
        )
    if any(local_name(e.tag) in _PNR_VOCABULARY for e in walk(root)):
        raise ParseError(
            N_("no PNR element: {name} holds PNRGOV elements but no PNR"),
            segment=name,
            line=line,
            expected="PNR",
            found=name,
            params={"name": name},
        )
    raise UnsupportedMessageError(
        N_("XML document {name} is not a PNRGOV message"),
        segment=name,
        line=line,
        expected=ROOT,
        found=name,
        params={"name": name},
    )


def _read_root(ctx: Context, push: PnrPush) -> None:
    root, header = ctx.doc.root, push.header
    name = local_name(root.tag)
    if is_synthetic_root(root):
        ctx.warn(None, "no_root_element", "XML without a single root element; read as a list")
    else:
        if name != ROOT:
            ctx.warn(
                root,
                "nonstandard_root",
                "root is not the PNRGOV request",
                expected=ROOT,
                found=name,
            )
        header.extra["root"] = name[:60]
    header.prepared_at = attr(root, "TimeStamp")
    header.message_reference = attr(root, "EchoToken", "TransactionIdentifier")
    for attribute, key in _ROOT_EXTRAS.items():
        found = attr(root, attribute)
        if found is not None:
            header.extra[key] = found[:60]
    originators = _find(root, "Originator")
    if not originators:
        if name == ROOT:
            ctx.warn(
                root, "missing_originator", "no Originator: sender unknown", expected="Originator"
            )
        return
    originator = originators[0]
    airline = read_code(originator, "AirlineCode", "CompanyShortName")
    system = read_code(originator, "SystemCode")
    push.sender = header.sender = airline or system
    if system is not None:
        header.extra["originator_system"] = system


def _read_flight_leg(ctx: Context, push: PnrPush) -> Flight | None:
    """The header `FlightLeg`: the flight this push is about, according to the sender."""
    found = _find(ctx.doc.root, "FlightLeg")
    if not found:
        return None
    element = found[0]
    carrier = read_code(element, "CarrierCode", "AirlineCode")
    number = read_flight_number(ctx, element, "FlightNumber")
    board = child(element, "DepartureAirport")
    off = child(element, "ArrivalAirport")
    leg = FlightLeg(
        carrier=carrier,
        flight_designator=f"{carrier or ''}{number or ''}" or None,
        departure_airport=read_code(board, "LocationCode") or value(element, "DepartureAirport"),
        arrival_airport=read_code(off, "LocationCode") or value(element, "ArrivalAirport"),
        scheduled_departure=read_datetime(ctx, element, "DepartureDateTime"),
        scheduled_arrival=read_datetime(ctx, element, "ArrivalDateTime"),
    )
    change = attr(element, "DateChangeNbr")
    if change is not None:
        push.header.extra["date_change"] = change[:10]
    return Flight(carrier=carrier, number=number, legs=[leg])


def _check_count(ctx: Context, push: PnrPush) -> None:
    containers = _find(ctx.doc.root, "PNRs")
    counts = [read_int(ctx, c, "NumberOfPnrs") for c in containers]
    declared = [c for c in counts if c is not None]
    push.declared_bookings = sum(declared) if declared else None
    if push.declared_bookings is not None and push.declared_bookings != len(push.bookings):
        ctx.warn(
            containers[0],
            "booking_count_mismatch",
            "NumberOfPnrs differs from the PNRs sent (split pushes may count the whole flight)",
            expected=str(push.declared_bookings),
            found=str(len(push.bookings)),
        )
    if not push.bookings and not containers:
        ctx.warn(ctx.doc.root, "no_bookings", "PNRGOV message without PNRs", expected="PNRs")


# --- the pushed flight ------------------------------------------------------------------------


def _same_flight(leg: BookedLeg, carrier: str | None, number: str | None) -> bool:
    if carrier is None or number is None:
        return False
    return (carrier, number) in (
        (leg.marketing_carrier, leg.marketing_number),
        (leg.operating_carrier, leg.operating_number),
    )


def _agrees(found: object, wanted: object) -> bool:
    return found is None or wanted is None or found == wanted


def _leg_date(leg: BookedLeg) -> date | None:
    return leg.departure.date() if leg.departure else None


def _matches(leg: BookedLeg, flight: Flight) -> bool:
    return (
        _same_flight(leg, flight.carrier, flight.number)
        and _agrees(_leg_date(leg), flight.departure_date)
        and _agrees(leg.departure_airport, flight.origin)
    )


def _choose_pushed_flight(
    ctx: Context, push: PnrPush, header: Flight | None, mapped: list[MappedPnr]
) -> None:
    legs = [leg for pnr in mapped for leg in pnr.legs]
    if header is not None and any(_matches(m.leg, header) for m in legs):
        push.flight = header
    elif header is not None and not legs:
        push.flight = header
        return
    elif not legs:
        ctx.warn(None, "no_flight", "neither a FlightLeg nor an itinerary: flight unknown")
        return
    else:
        chosen = _itinerary_choice(legs, header)
        push.flight = _flight_of(chosen.leg)
        _warn_choice(ctx, header, chosen, legs)
    for pnr in mapped:
        marked = False
        for m in pnr.legs:
            m.leg.is_pushed_flight = _matches(m.leg, push.flight)
            marked = marked or m.leg.is_pushed_flight
        if pnr.legs and not marked:
            ctx.warn(
                pnr.element,
                "booking_without_pushed_flight",
                "no leg of this PNR is the pushed flight",
                expected=push.flight.designator,
            )


def _itinerary_choice(legs: list[MappedLeg], header: Flight | None) -> MappedLeg:
    with_check_in = [m for m in legs if m.has_check_in]
    if with_check_in:
        return with_check_in[0]
    if header is not None:
        numbered = [m for m in legs if _same_flight(m.leg, header.carrier, header.number)]
        if numbered:
            return numbered[0]
    return legs[0]


def _warn_choice(
    ctx: Context, header: Flight | None, chosen: MappedLeg, legs: list[MappedLeg]
) -> None:
    flight = _flight_of(chosen.leg)
    summary = f"{flight.designator} {flight.departure_date or '?'} {flight.origin or '?'}"
    if header is None:
        ctx.warn(
            ctx.doc.root,
            "no_flight_header",
            "no FlightLeg; pushed flight taken from the itinerary",
            found=summary,
        )
        return
    seen = list(dict.fromkeys(f"{_flight_of(m.leg).designator} {_leg_date(m.leg)}" for m in legs))
    element = _find(ctx.doc.root, "FlightLeg")[0]
    ctx.warn(
        element,
        "header_flight_mismatch",
        f"FlightLeg matches no itinerary leg; pushed flight taken as {summary}",
        expected=", ".join(seen[:4]),
        found=f"{header.designator} {header.departure_date or '?'} {header.origin or '?'}",
    )


def _flight_of(leg: BookedLeg) -> Flight:
    """The flight a leg is: its operating flight when another carrier operates it."""
    carrier, number = leg.marketing_carrier, leg.marketing_number
    if leg.operating_carrier is not None and leg.operating_number is not None:
        carrier, number = leg.operating_carrier, leg.operating_number
    return Flight(
        carrier=carrier,
        number=number,
        legs=[
            FlightLeg(
                carrier=carrier,
                flight_designator=f"{carrier or ''}{number or ''}" or None,
                departure_airport=leg.departure_airport,
                arrival_airport=leg.arrival_airport,
                scheduled_departure=leg.departure,
                scheduled_arrival=leg.arrival,
            )
        ],
    )
