"""Items of a PNR that are not people or flights: contacts, SSRs, bags, tickets, payments.

Card numbers are read here and nowhere else, and leave only as their last four digits and a
keyed fingerprint; free text is scrubbed of anything shaped like a card number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

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
    read_amount,
    read_code,
    read_date,
    scrub_card_numbers,
)
from firstline.model.booking import (
    Booking,
    Contact,
    Payment,
    PnrTraveller,
    SpecialRequest,
    Tax,
    Ticket,
)
from firstline.model.travel import Address
from firstline.model.values import (
    card_fingerprint,
    decode_airline_email,
    last_four,
    normalise_email,
    normalise_phone,
)

CONTACT_SOURCE = "XML ContactInfo"
_PHONE_ATTRIBUTES = frozenset({"PhoneNumber", "Telephone", "Phone", "MobileNumber"})
_EMAIL_ATTRIBUTES = frozenset({"EmailAddress", "Email"})
_PHONE_ELEMENTS = frozenset({"PhoneNumber", "Telephone", "Phone"})
_EMAIL_ELEMENTS = frozenset({"Email", "EmailAddress"})
# Amadeus APE style: a one-letter kind and `+` before the value (`E+NAME@HOST`, `M+4930...`).
_KIND_PREFIX = re.compile(r"([A-Za-z])\+(.+)", re.DOTALL)
_PREFIX_KINDS = {"E": "email", "F": "fax"}
_FAX_TECH_TYPES = frozenset({"3", "FAX"})


@dataclass(slots=True)
class PnrState:
    """One PNR being read: its booking, its travellers by reference, what was already said."""

    ctx: Context
    booking: Booking
    region: str | None = None  # ISO alpha-2 country of the point of sale, for local phones
    by_reference: dict[str, PnrTraveller] = field(default_factory=dict)
    with_infant: list[tuple[PnrTraveller, Element]] = field(default_factory=list)
    unexpected: set[str] = field(default_factory=set)

    def unexpected_element(self, element: Element, where: str) -> None:
        """Warn once per PNR and element name about content this mapping does not read."""
        name = local_name(element.tag)
        if name in self.unexpected:
            return
        self.unexpected.add(name)
        self.ctx.warn(
            element,
            "unexpected_element",
            f"element {name[:40]} in {where} is not read; dropped",
            found=name,
        )


# --- contacts and addresses --------------------------------------------------------------


def read_contact_info(
    state: PnrState, element: Element, traveller: PnrTraveller | None = None
) -> None:
    """Phones, e-mails and addresses anywhere inside a `ContactInfo`."""
    reference = traveller.reference if traveller else None
    for node in walk(element):
        name = local_name(node.tag)
        if name in ("Address", "AddressInfo"):
            address = read_address(node)
            if address is not None:
                target = traveller.addresses if traveller else state.booking.addresses
                if address not in target:
                    target.append(address)
            continue
        for key, raw in node.attrib.items():
            attribute = local_name(key)
            if attribute in _PHONE_ATTRIBUTES:
                _add_contact(state, node, raw, "phone", reference)
            elif attribute in _EMAIL_ATTRIBUTES:
                _add_contact(state, node, raw, "email", reference)
        content = text(node)
        if content and name in _PHONE_ELEMENTS:
            _add_contact(state, node, content, "phone", reference)
        elif content and name in _EMAIL_ELEMENTS:
            _add_contact(state, node, content, "email", reference)


def _add_contact(
    state: PnrState, element: Element, raw: str, kind: str, reference: str | None
) -> None:
    sent = raw.strip()
    if not sent:
        return
    body = sent
    prefixed = _KIND_PREFIX.fullmatch(sent)
    if prefixed is not None:
        body = prefixed.group(2).strip()
        kind = _PREFIX_KINDS.get(prefixed.group(1).upper(), kind)
    if "@" in body:
        kind = "email"
    elif kind == "phone" and (attr(element, "PhoneTechType") or "").upper() in _FAX_TECH_TYPES:
        kind = "fax"
    if kind == "email":
        normalised, ok = normalise_email(decode_airline_email(body))
    else:
        normalised, ok = normalise_phone(body, state.region)
    if not normalised:
        state.ctx.warn(element, "bad_contact", f"{kind} without a usable value", expected=kind)
        return
    contact = Contact(
        kind=kind,
        value=normalised,
        raw=sent,
        source=CONTACT_SOURCE,
        traveller_ref=reference,
        normalised=ok,
    )
    if contact not in state.booking.contacts:
        state.booking.contacts.append(contact)


def read_address(element: Element) -> Address | None:
    """An OTA-style address (`AddressLine`, `CityName`, `StateProv`, `PostalCode`, ...)."""
    lines = [text(line) for line in children(element, "AddressLine", "StreetNmbr", "Street")]
    street = " ".join(line for line in lines if line) or value(element, "Street", "Address")
    country_element = child(element, "CountryName", "Country", "CountryCode")
    country = read_code(country_element, "Code") or (text(country_element) or "").upper() or None
    address = Address(
        street=street,
        city=value(element, "CityName", "City"),
        region=value(element, "StateProv", "State", "StateCode"),
        postcode=value(element, "PostalCode", "ZipCode"),
        country=country or read_code(element, "CountryCode", "Country"),
    )
    return None if address == Address() else address


# --- special service requests and bags -------------------------------------------------------


def special_request(
    state: PnrState,
    element: Element,
    *,
    traveller_ref: str | None = None,
    leg_ref: str | None = None,
) -> SpecialRequest | None:
    """An `SSR` as data; None (with a warning) when it has no code."""
    code = read_code(element, "SSRCode", "Code")
    if code is None:
        state.ctx.warn(element, "missing_code", "SSR without an SSRCode", expected="SSR code")
        return None
    content = text(child(element, "Text", "FreeText")) or text(element)
    airline = child(element, "Airline")
    return SpecialRequest(
        code=code,
        status=read_code(element, "Status"),
        quantity=value(element, "ServiceQuantity", "Quantity"),
        carrier=read_code(airline, "Code") or read_code(element, "AirlineCode", "Airline"),
        text=scrub_card_numbers(content) if content else None,
        traveller_ref=ssr_reference(element) or traveller_ref,
        leg_ref=leg_ref,
    )


def ssr_reference(element: Element) -> str | None:
    """The traveller an SSR names (`RPH`, or the first of `TravelerRefNumberRPHList`)."""
    found = value(element, "RPH", "TravelerRefNumberRPHList", "PassengerRPH")
    return found.split()[0] if found else None


def read_bag(state: PnrState, element: Element, code: str, traveller_ref: str | None) -> None:
    """`PrepaidBag` / `ExcessBaggage` kept as a request (EU Annex I element 16, baggage).

    Codes follow what the same fact is called elsewhere: PDBG is the IATA SSR for pre-paid
    baggage, EBD the PNRGOV EDIFACT excess baggage segment.
    """
    details = [f"{local_name(k)}={v.strip()}" for k, v in element.attrib.items() if v.strip()]
    content = text(element)
    if content:
        details.append(content)
    state.booking.special_requests.append(
        SpecialRequest(
            code=code,
            quantity=value(element, "Quantity", "BagQuantity", "UnitOfMeasureQuantity"),
            carrier=read_code(element, "AirlineCode", "CarrierCode"),
            text=scrub_card_numbers(" ".join(details)) if details else None,
            traveller_ref=value(element, "RPH") or traveller_ref,
        )
    )


# --- tickets and payments -----------------------------------------------------------------


def _first(element: Element, *names: str) -> Element | None:
    for node in walk(element):
        if node is not element and local_name(node.tag) in names:
            return node
    return None


def read_ticket(state: PnrState, element: Element, traveller_ref: str | None) -> None:
    """`TicketDocument` with fares, taxes and the payments inside it."""
    ctx = state.ctx
    number = value(element, "TicketDocumentNbr", "TicketNumber", "DocumentNumber", "Number")
    total = present(child(element, "TotalFare"), _first(element, "TotalFare"))
    base = _first(element, "BaseFare", "EquivFare")
    pricing = child(element, "PricingInfo")
    coupons = [value(c, "CouponNumber", "Number") for c in _all(element, "CouponInfo", "Coupon")]
    ticket = Ticket(
        number=number or "",
        type=value(element, "Type", "TicketDocumentType", "DocumentType"),
        coupons=",".join(c for c in coupons if c) or value(element, "NumberOfCoupons") or None,
        issued_on=read_date(ctx, element, "DateOfIssue", "IssueDate", "DateOfIssuance"),
        issue_place=value(element, "PlaceOfIssue", "IssuingLocation", "IssueCity"),
        base_amount=read_amount(ctx, base, "Amount") or read_amount(ctx, pricing, "BaseFare"),
        total_amount=read_amount(ctx, total, "Amount"),
        currency=read_code(total, "CurrencyCode") or read_code(base, "CurrencyCode"),
        traveller_ref=traveller_ref,
    )
    for tax in _all(element, "Tax"):
        ticket.taxes.append(
            Tax(
                code=read_code(tax, "TaxCode", "Code"),
                amount=read_amount(ctx, tax, "Amount"),
                currency=read_code(tax, "CurrencyCode"),
            )
        )
    for payment in _all(element, "PaymentInfo", "FormOfPayment"):
        read_payment(state, payment, traveller_ref)
    if number is None:
        ctx.warn(
            element,
            "missing_ticket_number",
            "TicketDocument without a document number; amounts and payments kept",
            expected="TicketDocumentNbr",
        )
        return
    state.booking.tickets.append(ticket)


def _all(element: Element, *names: str) -> list[Element]:
    return [n for n in walk(element) if n is not element and local_name(n.tag) in names]


def read_payment(state: PnrState, element: Element, traveller_ref: str | None) -> None:
    """A form of payment; a card number becomes last four digits and a keyed fingerprint."""
    ctx = state.ctx
    card = _first(element, "PaymentCard", "CreditCard", "Card")
    if card is None:
        card = element
    number = attr(card, "CardNumber") or _card_number_element(card)
    billing = _first(element, "BillingAddress", "Address")
    payment = Payment(
        type=read_code(element, "PaymentType", "Type", "FOPType"),
        card_vendor=read_code(card, "CardCode", "VendorCode"),
        card_expiry=value(card, "ExpireDate", "ExpiryDate"),
        card_holder=value(card, "CardHolderName"),
        amount=read_amount(ctx, element, "PaymentAmount", "Amount"),
        currency=read_code(element, "CurrencyCode"),
        billing_address=read_address(billing) if billing is not None else None,
        traveller_ref=traveller_ref,
    )
    if number is not None:
        payment.card_last_four = last_four(number)
        payment.card_fingerprint = card_fingerprint(number, ctx.options.card_key)
        payment.type = payment.type or "CC"
    state.booking.payments.append(payment)


def _card_number_element(card: Element) -> str | None:
    node = child(card, "CardNumber")
    if node is None:
        return None
    return text(node) or text(child(node, "PlainText")) or attr(node, "Mask", "Token")
