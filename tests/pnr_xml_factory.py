"""Builders of synthetic `IATA_PNRGOV_NotifRQ` documents. Synthetic names and numbers only.

Each builder returns an XML fragment as text; `notif` wraps PNRs into a message and returns
bytes. Attribute values are escaped, and `None` attributes are left out, so a test can drop
any attribute by passing None. Element and attribute names follow FORMATS.md section 2.4.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

NS = "http://www.iata.org/IATA/2007/00"
CARD = "4111111111111111"  # the standard Visa test number, never a real card


def el(tag: str, attrs: dict[str, str | None] | None = None, *items: str, text: str = "") -> str:
    """`<tag a="v">items text</tag>`, or a self-closing tag when empty."""
    rendered = "".join(
        f" {name}={quoteattr(value)}" for name, value in (attrs or {}).items() if value is not None
    )
    body = "".join(items) + escape(text)
    return f"<{tag}{rendered}>{body}</{tag}>" if body else f"<{tag}{rendered}/>"


def notif(
    *pnrs: str,
    flight_leg: str | None = None,
    originator: str | None = None,
    number_of_pnrs: str | None = "auto",
    root_attrs: dict[str, str | None] | None = None,
) -> bytes:
    """A message; `flight_leg` and `originator` default to a header for the first flight."""
    header_leg = flight_leg if flight_leg is not None else leg()
    header_origin = (
        originator
        if originator is not None
        else el("Originator", {"AirlineCode": "ZZ", "SystemCode": "1Z"})
    )
    count = str(len(pnrs)) if number_of_pnrs == "auto" else number_of_pnrs
    attrs = {"xmlns": NS, "Version": "1.0", "TimeStamp": "2030-05-01T06:00:00", "EchoToken": "T1"}
    attrs.update(root_attrs or {})
    body = el(
        "IATA_PNRGOV_NotifRQ",
        attrs,
        header_origin,
        header_leg,
        el("PNRs", {"NumberOfPnrs": count}, *pnrs),
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()


def leg(
    *,
    carrier: str | None = "ZZ",
    number: str | None = "0123",
    departure: str | None = "2030-05-01T10:00:00",
    arrival: str | None = "2030-05-01T12:30:00",
    board: str = "AMS",
    off: str = "LIS",
) -> str:
    """The header `FlightLeg`."""
    attrs = {
        "CarrierCode": carrier,
        "FlightNumber": number,
        "DepartureDateTime": departure,
        "ArrivalDateTime": arrival,
    }
    return el(
        "FlightLeg",
        attrs,
        el("DepartureAirport", {"LocationCode": board}),
        el("ArrivalAirport", {"LocationCode": off}),
    )


def pnr(
    *items: str,
    locator: str = "ZZA1B2",
    system: str = "1Z",
    created: str | None = "2030-04-01T09:00:00",
    changed: str | None = "2030-04-20T10:00:00",
    passengers: str | None = None,
    extra_locators: tuple[tuple[str, str, str | None], ...] = (),
) -> str:
    """A PNR with its locators first; `items` are passengers, flights and anything else."""
    refs = [el("BookingRefID", {"ID": locator}, el("CompanyName", {"Code": system}))]
    for other_system, other_locator, kind in extra_locators:
        refs.append(
            el(
                "BookingRefID",
                {"ID": other_locator, "Type": kind},
                el("CompanyName", {"Code": other_system}),
            )
        )
    attrs = {
        "NumberOfPassengers": passengers,
        "PNR_CreationDate": created,
        "PNR_TransDate": changed,
    }
    return el("PNR", attrs, *refs, *items)


def passenger(
    *items: str,
    rph: str | None = "1",
    surname: str = "TESTER",
    given: str = "ALPHA",
    title: str | None = None,
    unique: str | None = None,
    infant: bool | None = False,
    kind: str | None = None,
    boarding: str | None = None,
) -> str:
    attrs = {
        "RPH": rph,
        "SurnameRefNumber": unique or (f"U{rph}" if rph else None),
        "AccompaniedByInfantInd": None if infant is None else str(infant).lower(),
        "PassengerTypeCode": kind,
        "BoardingStatus": boarding,
    }
    names = [el("GivenName", text=given), el("Surname", text=surname)]
    if title:
        names.append(el("NameTitle", text=title))
    return el("Passenger", attrs, *names, *items)


def flight(
    *items: str,
    carrier: str = "ZZ",
    number: str = "123",
    departure: str | None = "2030-05-01T10:00:00",
    arrival: str | None = "2030-05-01T12:30:00",
    board: str = "AMS",
    off: str = "LIS",
    rbd: str | None = "Y",
    party: str | None = "1",
    equipment: str | None = None,
    operating: tuple[str, str] | None = None,
) -> str:
    """An itinerary `Flight`; `operating` = (carrier, number) when another airline flies it."""
    attrs = {
        "DepartureDateTime": departure,
        "ArrivalDateTime": arrival,
        "ResBookDesigCode": rbd,
        "NumberInParty": party,
        "Status": "HK",
        "FlightNumber": number,
    }
    parts = [
        el("DepartureAirport", {"LocationCode": board}),
        el("ArrivalAirport", {"LocationCode": off}),
    ]
    if equipment:
        parts.append(el("Equipment", {"AirEquipType": equipment}))
    parts.append(el("MarketingAirline", {"Code": carrier}))
    if operating:
        parts.append(el("OperatingAirline", {"Code": operating[0], "FlightNumber": operating[1]}))
    return el("Flight", attrs, *parts, *items)


def check_in(
    *,
    number: str = "AMS-001",
    rph: str | None = "1",
    seat: str = "012A",
    cabin: str = "Y",
    names: tuple[str, str] | None = None,
    bags: str = "",
) -> str:
    """`CheckInInfo` with one `BoardingNumber`; `names` = (given, surname) to name the pax."""
    person = (
        el("Passenger", None, el("GivenName", text=names[0]), el("Surname", text=names[1]))
        if names
        else ""
    )
    boarding = el(
        "BoardingNumber",
        {"Number": number, "RPH": rph},
        person,
        el("SeatNumber", {"CabinClass": cabin}, text=seat),
        bags,
    )
    return el("CheckInInfo", {"Time": "2030-05-01T08:00:00"}, boarding)


def ssr(code: str, text: str = "", *, rph: str | None = None, carrier: str = "ZZ") -> str:
    return el(
        "SSR",
        {"SSRCode": code, "ServiceQuantity": "1", "Status": "HK", "RPH": rph},
        el("Airline", {"Code": carrier}),
        el("Text", text=text),
    )


def doc_ssr(code: str, attrs: dict[str, str | None], *, rph: str | None = None) -> str:
    """`DOC_SSR` with one structured DOCS, DOCA or DOCO child."""
    return el(
        "DOC_SSR",
        {"SSRCode": code, "ServiceQuantity": "1", "Status": "HK", "RPH": rph},
        el("FlightInfo", {"Code": "ZZ"}),
        el(code, attrs),
    )


def ticket(
    *,
    number: str = "9991234567890",
    card: str | None = CARD,
    total: str = "250.00",
    currency: str = "EUR",
    taxes: tuple[tuple[str, str], ...] = (("YQ", "30.00"), ("XT", "12.50")),
) -> str:
    payment = el(
        "PaymentInfo",
        {"PaymentType": "CC", "PaymentAmount": total, "CurrencyCode": currency},
        el(
            "PaymentCard",
            {
                "CardCode": "VI",
                "CardNumber": card,
                "ExpireDate": "1232",
                "CardHolderName": "ALPHA TESTER",
            },
            el(
                "Address",
                None,
                el("AddressLine", text="1 TEST STREET"),
                el("CityName", text="TESTVILLE"),
                el("PostalCode", text="1000"),
                el("CountryName", {"Code": "NL"}),
            ),
        ),
    )
    return el(
        "TicketDocument",
        {"TicketDocumentNbr": number, "Type": "Ticket", "DateOfIssue": "2030-04-02"},
        el("TotalFare", {"Amount": total, "CurrencyCode": currency}),
        el(
            "PricingInfo",
            None,
            el("BaseFare", {"Amount": "207.50", "CurrencyCode": currency}),
            el(
                "Taxes",
                None,
                *(
                    el("Tax", {"TaxCode": c, "Amount": a, "CurrencyCode": currency})
                    for c, a in taxes
                ),
            ),
        ),
        payment,
    )


def loyalty(number: str = "ZZ9990001", *, program: str = "ZZ", level: str = "GOLD") -> str:
    return el("CustLoyalty", {"ProgramID": program, "MembershipID": number, "LoyalLevel": level})


def contact(**attrs: str | None) -> str:
    return el("ContactInfo", dict(attrs))


def minimal_push(*items: str) -> bytes:
    """One PNR, one passenger, one flight matching the header leg; `items` go into the PNR."""
    return notif(pnr(passenger(), flight(), *items))
