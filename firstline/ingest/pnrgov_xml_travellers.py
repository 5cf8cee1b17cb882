"""`Passenger` elements to travellers, with their documents, loyalty, tickets and SSRs.

A traveller exists from `Passenger` alone, DOCS or not (GTAS dropped passengers without
DOCS, and infants without their own). API data arrives three ways and is merged into the
traveller field by field: structured `DOC_SSR/DOCS`, free-text `SSR DOCS` inside the
passenger, and free-text `SSR DOCS` on a `Flight` tied to the passenger by `RPH`.
An infant DOCS (gender FI/MI) given under the adult makes or fills the infant's own record.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from firstline.ingest import pnrgov_xml_docs as docs
from firstline.ingest.pnrgov_xml_items import (
    PnrState,
    read_bag,
    read_contact_info,
    read_payment,
    read_ticket,
    special_request,
    ssr_reference,
)
from firstline.ingest.pnrgov_xml_tree import attr, child, local_name, present, text, value
from firstline.ingest.pnrgov_xml_values import (
    name_key,
    parse_ddmmmyy,
    read_code,
    split_title,
)
from firstline.model.booking import FrequentFlyer, PnrTraveller
from firstline.model.travel import Address

PASSENGER_TYPES = {
    "ADT": "A", "ADULT": "A", "A": "A",
    "CHD": "C", "CNN": "C", "CHILD": "C", "C": "C",
    "INF": "IN", "INFANT": "IN", "IN": "IN",
}  # fmt: skip
DOCUMENT_SSRS = frozenset({"DOCS", "DOCA", "DOCO"})
_CHECKED_IN = frozenset({"BOARDED", "CHECKEDIN", "CHECKED", "ACCEPTED", "FLOWN"})
_NAME_PARTS = frozenset({"GivenName", "Surname", "NameTitle", "MiddleName"})
_NAME_HOLDERS = ("PersonName", "PassengerName", "Name")
_IGNORED = _NAME_PARTS | frozenset(_NAME_HOLDERS)
_INFT_DATE = re.compile(r"\s(\d{2}[A-Z]{3}\d{2})\s*$")


def read_passenger(state: PnrState, element: Element) -> PnrTraveller:
    """The traveller a `Passenger` names; its items are read by `read_passenger_items`.

    All passengers of a PNR are created before any item is read, so that an SSR or an
    infant DOCS can find every passenger it may refer to.
    """
    names = present(child(element, *_NAME_HOLDERS), element)
    given, glued_title = split_title(value(names, "GivenName"))
    title = read_code(names, "NameTitle") or glued_title
    kind = read_code(element, "PassengerTypeCode", "PassengerType", "PTC")
    status = value(element, "BoardingStatus")
    traveller = PnrTraveller(
        surname=value(names, "Surname"),
        given_names=given,
        title=title,
        passenger_type=PASSENGER_TYPES.get(kind, kind) if kind else None,
        reference=attr(element, "RPH", "TravelerRefNumber"),
        unique_reference=attr(element, "SurnameRefNumber", "UniqueID"),
        boarding_status=status,
        checked_in=re.sub("[^A-Z]", "", (status or "").upper()) in _CHECKED_IN,
    )
    if traveller.surname is None:
        state.ctx.warn(element, "missing_surname", "Passenger without a Surname")
    _register(state, traveller, element)
    if (attr(element, "AccompaniedByInfantInd") or "").lower() in ("true", "1", "y"):
        state.with_infant.append((traveller, element))
    return traveller


def read_passenger_items(state: PnrState, traveller: PnrTraveller, element: Element) -> None:
    for item in element:
        _read_item(state, traveller, item)


def _register(state: PnrState, traveller: PnrTraveller, element: Element) -> None:
    state.booking.travellers.append(traveller)
    reference = traveller.reference
    if reference is None:
        return
    if reference in state.by_reference:
        state.ctx.warn(
            element,
            "duplicate_reference",
            "two passengers share one RPH; the first keeps it for SSR and check-in links",
            found=reference,
        )
        return
    state.by_reference[reference] = traveller


def _read_item(state: PnrState, traveller: PnrTraveller, item: Element) -> None:
    name = local_name(item.tag)
    reference = traveller.reference
    if name == "CustLoyalty":
        number = value(item, "MembershipID", "Number")
        if number:
            traveller.frequent_flyers.append(
                FrequentFlyer(
                    airline=read_code(item, "ProgramID", "VendorCode", "Airline"),
                    number=number,
                    tier=value(item, "LoyalLevel", "LoyalLevelCode", "Tier"),
                    traveller_ref=reference,
                )
            )
    elif name == "FareInfo":
        traveller.fare_basis = value(item, "FareBasisCode", "FareBasis") or traveller.fare_basis
    elif name == "ExcessBaggage":
        read_bag(state, item, "EBD", reference)
    elif name == "SSR":
        read_ssr(state, item, traveller=traveller)
    elif name == "DOC_SSR":
        read_doc_ssr(state, item, traveller)
    elif name == "TicketDocument":
        read_ticket(state, item, reference)
    elif name in ("PaymentInfo", "FormOfPayment"):
        read_payment(state, item, reference)
    elif name == "ContactInfo":
        read_contact_info(state, item, traveller)
    elif name not in _IGNORED:
        state.unexpected_element(item, "Passenger")


# --- SSRs, DOCS, DOCA, DOCO ---------------------------------------------------------------


def read_ssr(
    state: PnrState,
    element: Element,
    *,
    traveller: PnrTraveller | None = None,
    leg_ref: str | None = None,
) -> None:
    """An SSR anywhere: API data goes to the traveller, everything else is kept as a request."""
    code = read_code(element, "SSRCode", "Code")
    if code in DOCUMENT_SSRS:
        content = text(child(element, "Text", "FreeText")) or text(element)
        target = _traveller_for(state, element, traveller, content if code == "DOCS" else None)
        if target is None:
            state.ctx.warn(
                element,
                "unmatched_ssr",
                f"SSR {code} names no known passenger; its API data is dropped",
                expected="RPH of a Passenger",
                found=ssr_reference(element),
            )
        elif content:
            _document_text(state, element, code, content, target)
        return
    request = special_request(
        state, element, traveller_ref=traveller.reference if traveller else None, leg_ref=leg_ref
    )
    if request is None:
        return
    state.booking.special_requests.append(request)
    subject = state.by_reference.get(request.traveller_ref or "") or traveller
    if subject is not None and code == "CHLD" and subject.passenger_type is None:
        subject.passenger_type = "C"
    if subject is not None and code == "INFT" and request.text:
        _infant_from_inft(state, subject, request.text)


def read_doc_ssr(state: PnrState, element: Element, traveller: PnrTraveller) -> None:
    """`DOC_SSR` with structured `DOCS`/`DOCA`/`DOCO` children, or their free text."""
    reference = ssr_reference(element)
    target = state.by_reference.get(reference or "") or traveller
    code = read_code(element, "SSRCode")
    structured = False
    for item in element:
        name = local_name(item.tag)
        if name == "DOCS":
            structured = True
            _apply_docs(state, target, docs.docs_from_element(state.ctx, item), item)
        elif name == "DOCA":
            structured = True
            _apply_doca(target, state, *docs.doca_from_element(item))
        elif name == "DOCO":
            structured = True
            document = docs.doco_from_element(state.ctx, item)
            if document is not None:
                docs.merge_document(target.documents, document)
    content = text(child(element, "Text", "FreeText"))
    if content and code in DOCUMENT_SSRS:
        _document_text(state, element, code, content, target)
    elif not structured and not content:
        state.ctx.warn(element, "empty_ssr", "DOC_SSR without DOCS, DOCA, DOCO or text")


def _traveller_for(
    state: PnrState, element: Element, default: PnrTraveller | None, docs_text: str | None
) -> PnrTraveller | None:
    """By RPH, else the enclosing passenger, else by the DOCS name, else the only passenger."""
    reference = ssr_reference(element)
    if reference is not None and reference in state.by_reference:
        return state.by_reference[reference]
    if default is not None:
        return default
    travellers = state.booking.travellers
    if docs_text:
        facts = docs.docs_from_text(docs_text, state.ctx.reference)
        wanted = name_key(facts.surname, facts.given_names)
        for candidate in travellers:
            if name_key(candidate.surname, candidate.given_names) == wanted:
                return candidate
    return travellers[0] if len(travellers) == 1 and reference is None else None


def _document_text(
    state: PnrState, element: Element, code: str, content: str, target: PnrTraveller
) -> None:
    if code == "DOCS":
        _apply_docs(state, target, docs.docs_from_text(content, state.ctx.reference), element)
    elif code == "DOCA":
        _apply_doca(target, state, *docs.doca_from_text(content))
    else:
        document, infant, problems = docs.doco_from_text(content)
        _warn_problems(state, element, problems)
        if document is not None:
            holder = _infant_of(state, target, None, None) if infant else target
            docs.merge_document(holder.documents, document)


def _warn_problems(state: PnrState, element: Element, problems: list[tuple[str, str]]) -> None:
    for what, raw in problems:
        state.ctx.warn(element, "bad_date", f"{what} is not a date", expected="DDMMMYY", found=raw)


def _apply_docs(
    state: PnrState, traveller: PnrTraveller, facts: docs.DocsFacts, element: Element
) -> None:
    _warn_problems(state, element, facts.problems)
    target = traveller
    if facts.is_infant and traveller.passenger_type != "IN":
        own = name_key(facts.surname, facts.given_names) == name_key(
            traveller.surname, traveller.given_names
        )
        if own and facts.surname:  # the passenger is the infant, sent without a type
            traveller.passenger_type = "IN"
        else:
            target = _infant_of(state, traveller, facts.surname, facts.given_names)
    if facts.document is not None:
        docs.merge_document(target.documents, facts.document)
    if facts.gender is not None:
        if facts.gender not in docs.GENDERS:
            state.ctx.warn(
                element, "bad_code", "DOCS gender not in M, F, U, X, MI, FI", found=facts.gender
            )
        elif target.gender is None:
            target.gender = facts.gender
    target.date_of_birth = target.date_of_birth or facts.date_of_birth
    target.nationality = target.nationality or facts.nationality
    target.surname = target.surname or facts.surname
    target.given_names = target.given_names or facts.given_names


def _apply_doca(
    traveller: PnrTraveller, state: PnrState, kind: str | None, address: Address, infant: bool
) -> None:
    if address == Address():
        return
    target = _infant_of(state, traveller, None, None) if infant else traveller
    if address not in target.addresses:
        target.addresses.append(address)
    if kind == "R" and address.country and target.country_of_residence is None:
        target.country_of_residence = address.country


# --- infants --------------------------------------------------------------------------------


def _infant_of(
    state: PnrState, adult: PnrTraveller, surname: str | None, given: str | None
) -> PnrTraveller:
    """The infant travelling on `adult`'s lap: found by link or name, else created."""
    wanted = name_key(surname or adult.surname, given)
    for candidate in state.booking.travellers:
        if adult.reference is not None and candidate.infant_of == adult.reference:
            return candidate
        loose = candidate.passenger_type == "IN" and candidate.infant_of is None
        if loose and given and name_key(candidate.surname, candidate.given_names) == wanted:
            candidate.infant_of = adult.reference
            return candidate
    infant = PnrTraveller(
        surname=surname or adult.surname,
        given_names=given,
        passenger_type="IN",
        infant_of=adult.reference,
    )
    state.booking.travellers.append(infant)
    return infant


def _infant_from_inft(state: PnrState, adult: PnrTraveller, content: str) -> None:
    """SSR INFT text `SURNAME/GIVEN 20SEP12`: the infant's name and date of birth."""
    date_match = _INFT_DATE.search(content)
    names = content[: date_match.start()] if date_match else content
    surname, _, given = names.partition("/")
    infant = _infant_of(state, adult, surname.strip() or None, given.strip() or None)
    if date_match and infant.date_of_birth is None:
        infant.date_of_birth = parse_ddmmmyy(date_match.group(1), reference=state.ctx.reference)


def _has_infant(state: PnrState, adult: PnrTraveller) -> bool:
    reference = adult.reference
    return reference is not None and any(t.infant_of == reference for t in state.booking.travellers)


def link_infants(state: PnrState) -> None:
    """Tie infants listed as passengers, in order, to adults flagged `AccompaniedByInfantInd`."""
    loose = [t for t in state.booking.travellers if t.passenger_type == "IN" and not t.infant_of]
    for adult, _ in state.with_infant:
        if loose and adult.reference is not None and not _has_infant(state, adult):
            loose.pop(0).infant_of = adult.reference


def check_infants(state: PnrState) -> None:
    """Warn about adults flagged with an infant of whom nothing at all was sent."""
    for adult, element in state.with_infant:
        if _has_infant(state, adult):
            continue
        state.ctx.warn(
            element,
            "infant_not_listed",
            "passenger travels with an infant who has no Passenger, DOCS or INFT entry",
        )
