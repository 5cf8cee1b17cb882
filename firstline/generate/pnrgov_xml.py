"""PNRGOV XML (`IATA_PNRGOV_NotifRQ`) pushes of synthetic bookings.

Some airlines push XML instead of EDIFACT; this writes the elements and attributes the
reader in `firstline.ingest.pnrgov_xml` understands (FORMATS.md section 2.4): passengers with
structured DOCS, the booked flight and a contact phone.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from xml.sax.saxutils import escape, quoteattr

from firstline.generate.people import Booking, Flight, Traveller

NS = "http://www.iata.org/IATA/2007/00"


def el(tag: str, attrs: dict[str, str] | None = None, *children: str, text: str = "") -> str:
    """`<tag a="v">children text</tag>`, or a self-closing tag when empty."""
    rendered = "".join(f" {name}={quoteattr(value)}" for name, value in (attrs or {}).items())
    body = "".join(children) + escape(text)
    return f"<{tag}{rendered}>{body}</{tag}>" if body else f"<{tag}{rendered}/>"


def _when(value: datetime) -> str:
    return f"{value:%Y-%m-%dT%H:%M:%S}"


def _leg(flight: Flight, tag: str, extra: dict[str, str], *items: str) -> str:
    attrs = {
        "DepartureDateTime": _when(flight.departure),
        "ArrivalDateTime": _when(flight.arrival),
        **extra,
        "FlightNumber": str(flight.number),
    }
    return el(
        tag,
        attrs,
        el("DepartureAirport", {"LocationCode": flight.origin}),
        el("ArrivalAirport", {"LocationCode": flight.destination}),
        *([el("MarketingAirline", {"Code": flight.carrier})] if tag == "Flight" else []),
        *items,
    )


def notif_rq(
    flight: Flight,
    bookings: list[Booking],
    *,
    sent: datetime,
    reference: str,
    close_out: bool = False,
) -> bytes:
    """One `IATA_PNRGOV_NotifRQ` pushing `bookings` of `flight`. At `close_out` (after the
    flight closed) passengers carry a `BoardingStatus` and the flight their check-in."""
    header_leg = _leg(flight, "FlightLeg", {"CarrierCode": flight.carrier})
    root = {
        "xmlns": NS,
        "Version": "1.0",
        "TimeStamp": _when(sent),
        "EchoToken": reference,
    }
    pnrs = [_pnr(flight, booking, close_out) for booking in bookings]
    body = el(
        "IATA_PNRGOV_NotifRQ",
        root,
        el("Originator", {"AirlineCode": flight.carrier, "SystemCode": "1A"}),
        header_leg,
        el("PNRs", {"NumberOfPnrs": str(len(pnrs))}, *pnrs),
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode()


def _pnr(flight: Flight, booking: Booking, close_out: bool) -> str:
    rng = random.Random(booking.key)
    changed = booking.created + timedelta(minutes=rng.randrange(600))
    infant = next((t for t in booking.travellers if t.kind == "IN"), None)
    passengers = [
        _passenger(flight, person, infant if person.reference == 1 else None, close_out)
        for person in booking.travellers
        if person.kind != "IN"
    ]
    party = len(passengers)
    extra = {"ResBookDesigCode": "Y", "NumberInParty": str(party), "Status": "HK"}
    legs = []
    for leg in booking.legs or [flight]:  # a connection: both flights, in time order
        pushed = leg.designator == flight.designator and leg.departure == flight.departure
        check_in = _check_in(flight, booking.travellers) if pushed and close_out else []
        legs.append(_leg(leg, "Flight", extra, *check_in))
    phone = f"447{rng.choice('4578')}{rng.randrange(10, 99)}{rng.randrange(100000, 999999)}"
    attrs = {
        "NumberOfPassengers": str(party),
        "PNR_CreationDate": _when(booking.created),
        "PNR_TransDate": _when(changed),
    }
    return el(
        "PNR",
        attrs,
        el("BookingRefID", {"ID": booking.locator}, el("CompanyName", {"Code": flight.carrier})),
        *passengers,
        *legs,
        el("ContactInfo", {"PhoneNumber": phone}),
    )


def _check_in(flight: Flight, people: list[Traveller]) -> list[str]:
    """`CheckInInfo` per traveller who showed up: boarding number and seat."""
    found = []
    for person in people:
        if person.boarding is None or person.kind == "IN":
            continue
        seat = [el("SeatNumber", {"CabinClass": "Y"}, text=person.seat)] if person.seat else []
        number = {"Number": f"{flight.origin}-{person.boarding:03d}", "RPH": str(person.reference)}
        found.append(el("CheckInInfo", {}, el("BoardingNumber", number, *seat)))
    return found


def _passenger(flight: Flight, person: Traveller, infant: Traveller | None, close_out: bool) -> str:
    rph = str(person.reference)
    attrs = {
        "RPH": rph,
        "SurnameRefNumber": f"U{rph}",
        "AccompaniedByInfantInd": "true" if infant else "false",
        "PassengerTypeCode": "CHD" if person.kind == "C" else "ADT",
    }
    if close_out:  # on board, checked in but left behind at the gate, or never came
        shown = "CheckedIn" if person.boarding is not None else "NoShow"
        attrs["BoardingStatus"] = "Boarded" if person.boarded else shown
    children = [_docs(flight, person, rph, infant=False)]
    if infant is not None:
        children.append(_docs(flight, infant, rph, infant=True))
    return el(
        "Passenger",
        attrs,
        el("GivenName", text=person.given),
        el("Surname", text=person.surname),
        *children,
    )


def _docs(flight: Flight, person: Traveller, rph: str, *, infant: bool) -> str:
    doc = person.documents[0]
    attrs = {
        "DocType": doc.kind,
        "DocID": doc.number,
        "DocIssueCountry": doc.country,
        "DocHolderNationality": person.nationality,
        "BirthDate": f"{person.born:%Y-%m-%d}",
        "Gender": person.gender + ("I" if infant else ""),
        "ExpiryDate": f"{doc.expiry:%Y-%m-%d}",
        "Surname": person.surname,
        "FirstGivenName": person.given,
    }
    return el(
        "DOC_SSR",
        {"SSRCode": "DOCS", "ServiceQuantity": "1", "Status": "HK", "RPH": rph},
        el("FlightInfo", {"Code": flight.carrier}),
        el("DOCS", attrs),
    )
