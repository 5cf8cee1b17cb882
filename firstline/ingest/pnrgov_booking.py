"""Handlers for the booking, traveller, ticket and payment groups of a PNRGOV message.

Each handler reads one segment into the booking that is open, according to the area the
last trigger segment opened (see `pnrgov_state.Area`). Person SSRs (DOCS, DOCA, DOCO, FOID,
INFT) are parked until the whole booking is known: the traveller they concern may come later.
"""

from __future__ import annotations

import re

from firstline.ingest.edifact.lexer import Segment
from firstline.ingest.pnrgov_segments import (
    composites,
    padded,
    read_address,
    read_agency,
    read_amounts,
    read_dates,
    read_locators,
    read_payments,
    read_taxes,
    read_ticket,
    read_ticketing,
)
from firstline.ingest.pnrgov_ssr import ssr_contact, text_contacts
from firstline.ingest.pnrgov_state import (
    LEG_AREAS,
    PERSON_AREAS,
    Area,
    BookingState,
    PendingContact,
    PendingSsr,
    PnrState,
    SeatRequest,
    TravellerMeta,
)
from firstline.ingest.pnrgov_values import mask_cards, mask_long_digits, split_title
from firstline.model.booking import FrequentFlyer, PnrTraveller, SpecialRequest

PERSON_SSRS = frozenset({"DOCS", "DOCA", "DOCO", "FOID", "INFT"})
CONTACT_SSRS = frozenset({"CTCE", "CTCM", "CTCB", "CTCH", "CTCP", "CTCT"})
_SEAT = re.compile(r"\b0*([0-9]{1,3}[A-Z])\b")


def rci(state: PnrState, seg: Segment) -> None:
    bs = state.booking(seg)
    locators = read_locators(state, seg)
    if bs.area is Area.SPLIT:
        bs.booking.split_from.extend(locators)
        return
    # Later RCIs (under a leg, after the travellers) repeat the locator or add another
    # system's (code-share partner, CRS); only new ones are kept.
    known = {(item.system, item.locator) for item in bs.booking.locators}
    for locator in locators:
        if (locator.system, locator.locator) not in known:
            bs.booking.locators.append(locator)
            known.add((locator.system, locator.locator))
    if bs.booking.created_at is None and bs.booking.locators:
        bs.booking.created_at = bs.booking.locators[0].created_at


def booking_dat(state: PnrState, seg: Segment, bs: BookingState) -> None:
    """DAT at booking, traveller or ticket level: 700 last change, 710 ticketing."""
    booking = bs.booking
    for qualifier, when in read_dates(state, seg):
        if qualifier not in ("700", "710", "2", "3", ""):
            state.warn(
                seg,
                "unknown_qualifier",
                "DAT qualifier not used in PNRGOV; ignored",
                element=1,
                expected="700, 710, 2 or 3",
                found=qualifier,
            )
        elif when is None:
            continue
        elif qualifier == "700":
            booking.last_modified = max(booking.last_modified or when, when)
        elif qualifier == "710" or (bs.area is Area.TICKET and not qualifier):
            booking.ticketed_at = booking.ticketed_at or when
            if bs.area is Area.TICKET and bs.ticket is not None:
                bs.ticket.issued_on = when.date()


def agency(state: PnrState, seg: Segment) -> None:
    bs = state.booking(seg)
    if bs.booking.agency is not None:
        state.warn(seg, "duplicate_segment", "second booking ORG ignored", found="ORG")
        return
    bs.booking.agency = read_agency(seg)


def ift(state: PnrState, seg: Segment) -> None:
    """Free text (OSI, remarks): kept as a remark; contacts written into it are read out."""
    bs = state.booking(seg)
    lines = [":".join(seg.element(e)).strip() for e in range(2, len(seg.elements) + 1)]
    text = " ".join(line for line in lines if line)
    if not text:
        return
    bs.booking.remarks.append(mask_cards(text))
    for kind, raw in text_contacts(text):
        bs.contacts.append(PendingContact(kind, raw, "IFT", bs.person_ref))


def add(state: PnrState, seg: Segment) -> None:
    """ADD: a billing address after FOP, a traveller's after TIF, else the booking's."""
    bs = state.booking(seg)
    address, contact, _ = read_address(seg)
    if address is not None:
        if bs.area is Area.PAYMENT and bs.payment and bs.payment.billing_address is None:
            bs.payment.billing_address = address
        elif bs.person is not None:
            bs.person.traveller.addresses.append(address)
        else:
            bs.booking.addresses.append(address)
    if contact:
        kind = "email" if ("@" in contact or "//" in contact) else "phone"
        country = address.country if address else None
        region = country if country and len(country) == 2 else None
        bs.contacts.append(PendingContact(kind, contact, "ADD", bs.person_ref, region))


def ebd(state: PnrState, seg: Segment) -> None:
    """Excess baggage, kept as a service item (amount, pieces or weight as sent)."""
    bs = state.booking(seg)
    text = "+".join(":".join(c.strip() for c in element) for element in seg.elements).strip("+:")
    text = mask_cards(text)
    bs.booking.special_requests.append(
        SpecialRequest(code="EBD", text=text or None, traveller_ref=bs.person_ref)
    )


def ssr(state: PnrState, seg: Segment) -> None:
    bs = state.booking(seg)
    first = seg.element(1)
    components = padded(first, 8)
    code, status, quantity, carrier = [v.upper() for v in components[:4]]
    board, off = components[6].upper(), components[7].upper()
    text = ":".join(first[8:]).strip()
    explicit = mask_long_digits(seg.get(2, 3).strip()) or None
    if not code:
        state.warn(seg, "empty_value", "SSR without a code", element=1, expected="SSR code")
        return
    context = bs.person
    ref = explicit or (context.traveller.reference if context else None)
    if code in PERSON_SSRS:
        bs.ssrs.append(PendingSsr(seg, code, text, explicit, context))
        if code != "INFT":  # INFT is a service too (a seat on a lap); the rest is API data
            return
    elif code in CONTACT_SSRS:
        found = ssr_contact(code, text)
        if found is None:
            state.warn(seg, "empty_value", f"SSR {code} without a contact", element=1)
        else:
            bs.contacts.append(PendingContact(found[0], found[1], f"SSR {code}", ref))
        return
    leg = bs.leg if bs.area in LEG_AREAS else None
    if code == "SEAT":
        seat = _SEAT.search(seg.get(2, 1).upper() or text.upper())
        if seat is not None:
            bs.seats.append(SeatRequest(ref, seat.group(1), leg, board or None))
    leg_ref = f"{board}-{off}" if board or off else None
    if leg_ref is None and leg is not None:
        leg_ref = f"{leg.departure_airport or ''}-{leg.arrival_airport or ''}"
    code, status, quantity, carrier = [
        mask_long_digits(v) for v in (code, status, quantity, carrier)
    ]
    bs.booking.special_requests.append(
        SpecialRequest(
            code=code,
            status=status or None,
            quantity=quantity or None,
            carrier=carrier or None,
            text=mask_cards(text) or None,
            traveller_ref=ref,
            leg_ref=leg_ref,
        )
    )


# --- traveller group ---------------------------------------------------------------------


def tif(state: PnrState, seg: Segment) -> None:
    """TIF: one traveller per given-name composite, `ISABELLE MRS:A:2:1` = given name with
    title, type (A adult, C child, IN infant), reference, accompanied-by-infant flag."""
    bs = state.booking(seg)
    surname = seg.get(1).strip().upper() or None
    if surname is None:
        state.warn(seg, "missing_surname", "TIF without a surname", element=1, expected="surname")
    people = composites(seg, 2) or [(2, [])]
    for _, components in people:
        raw_given, kind, reference, infant_flag = [v.upper() for v in padded(components, 4)]
        reference = mask_long_digits(reference)  # a reference is a small number, never a card
        given, title = split_title(raw_given)
        traveller = PnrTraveller(
            surname=surname,
            given_names=given,
            title=title,
            passenger_type=kind or None,
            reference=reference or None,
        )
        meta = TravellerMeta(traveller, seg, raw_given or None, with_infant=infant_flag == "1")
        bs.booking.travellers.append(traveller)
        bs.travellers.append(meta)
        bs.traveller = meta
    bs.area = Area.TRAVELLER


def is_known(bs: BookingState, seg: Segment) -> bool:
    """The TIF names a traveller of the booking already: same surname, and the same
    reference (or, without one, the same given name)."""
    surname, reference = seg.get(1).strip().upper(), mask_long_digits(seg.get(2, 3).strip())
    given = split_title(seg.get(2, 1).upper())[0]
    for meta in bs.travellers:
        known = meta.traveller
        if known.surname != surname:
            continue
        if (known.reference == reference) if reference else (known.given_names == given):
            return True
    return False


def _person(state: PnrState, seg: Segment) -> TravellerMeta | None:
    """The traveller a traveller-group segment belongs to: the open one, else the last."""
    bs = state.booking(seg)
    person = bs.person or (bs.travellers[-1] if bs.travellers else None)
    if person is None:
        state.warn(seg, "orphan_segment", f"{seg.tag} before any TIF; ignored", found=seg.tag)
    return person


def fti(state: PnrState, seg: Segment) -> None:
    """FTI: `airline:number:::::tier` per composite."""
    person = _person(state, seg)
    if person is None:
        return
    for position, components in composites(seg):
        values = padded(components, 7)
        if not values[1]:
            state.warn(seg, "empty_value", "FTI without a number", element=position, component=2)
            continue
        tier = next((v for v in reversed(values[3:7]) if v), None)
        person.traveller.frequent_flyers.append(
            FrequentFlyer(values[0].upper() or None, values[1], tier, person.traveller.reference)
        )


def ref(state: PnrState, seg: Segment) -> None:
    """REF: the unique passenger reference (`REF+:001C451486DFF0CC`)."""
    person = _person(state, seg)
    if person is not None:
        value = seg.get(1, 2).strip() or seg.get(1, 1).strip()
        person.traveller.unique_reference = value or None


def far(state: PnrState, seg: Segment) -> None:
    """FAR: passenger fare type, age ... and the fare basis in element 6."""
    person = _person(state, seg)
    if person is None:
        return
    basis = seg.get(6).strip()
    if not basis and len(seg.elements) > 1:
        basis = seg.get(len(seg.elements)).strip()
    person.traveller.fare_basis = basis.upper() or None


# --- ticket and payment groups -----------------------------------------------------------


def _leave_person(bs: BookingState) -> None:
    """A TKT or FOP outside a traveller group belongs to the booking, not the last TIF."""
    if bs.area not in PERSON_AREAS:
        bs.traveller = None


def tkt(state: PnrState, seg: Segment) -> None:
    bs = state.booking(seg)
    _leave_person(bs)
    ticket = read_ticket(seg, bs.person_ref)
    if ticket is None:
        state.warn(seg, "empty_value", "TKT without a number", element=1, expected="number")
    else:
        bs.booking.tickets.append(ticket)
    bs.ticket = ticket
    bs.area = Area.TICKET


def ticket_detail(state: PnrState, seg: Segment) -> None:
    """MON, PTK and TXD add to the ticket opened by TKT."""
    bs = state.booking(seg)
    ticket = bs.ticket if bs.area in (Area.TICKET, Area.PAYMENT) else None
    if ticket is None:
        state.warn(seg, "orphan_segment", f"{seg.tag} without a TKT before it", found=seg.tag)
        return
    if seg.tag == "MON":
        read_amounts(state, seg, ticket)
    elif seg.tag == "PTK":
        read_ticketing(state, seg, ticket)
    else:
        ticket.taxes.extend(read_taxes(state, seg))


def fop(state: PnrState, seg: Segment) -> None:
    bs = state.booking(seg)
    _leave_person(bs)
    payments = read_payments(state, seg, bs.person_ref)
    if not payments:
        state.warn(seg, "empty_value", "FOP without a form of payment", element=1)
    bs.booking.payments.extend(payments)
    bs.payment = payments[-1] if payments else None
    bs.area = Area.PAYMENT
