"""Settling a booking once all its segments are read: which traveller each person SSR
concerns, which adult carries each infant, titles, contacts, and who checked in.

SSR to traveller, in order of trust: the traveller reference in the SSR (`+::2`), unless
the name in the SSR text plainly belongs to someone else on the booking; then the name in the
text; then the TIF the SSR sat under; then the only traveller of a single-traveller booking.
An SSR for an infant (DOCS gender MI/FI, DOCA/DOCO infant flag) that points at the carrying
adult goes to that adult's infant, who is created from the SSR if no TIF named them.
"""

from __future__ import annotations

from dataclasses import fields

from firstline.ingest.pnrgov_ssr import (
    Issue,
    PersonFacts,
    name_score,
    parse_doca,
    parse_doco,
    parse_docs,
    parse_foid,
    parse_inft,
)
from firstline.ingest.pnrgov_state import BookingState, PendingSsr, PnrState, TravellerMeta
from firstline.ingest.pnrgov_values import mask_cards, split_title
from firstline.model.booking import Contact, PnrTraveller, SpecialRequest
from firstline.model.travel import TravelDocument
from firstline.model.values import decode_airline_email, normalise_email, normalise_phone

INFANT_TYPES = frozenset({"IN", "INF", "I"})


def resolve_booking(state: PnrState, bs: BookingState) -> None:
    for pending in bs.ssrs:
        if pending.code == "INFT":
            _apply_inft(state, bs, pending)
    _pair_infants(state, bs)
    for pending in bs.ssrs:
        if pending.code != "INFT":
            _apply_person_ssr(state, bs, pending)
    for meta in bs.travellers:
        if meta.docs_given and meta.raw_given:
            given, title = split_title(meta.raw_given, evidence=meta.docs_given)
            meta.traveller.given_names, meta.traveller.title = given, title
    _contacts(bs)
    _check_in_travellers(state, bs)


def is_infant(traveller: PnrTraveller) -> bool:
    return (traveller.passenger_type or "").upper() in INFANT_TYPES


def by_ref(bs: BookingState, reference: str | None) -> TravellerMeta | None:
    if not reference:
        return None
    return next((m for m in bs.travellers if m.traveller.reference == reference), None)


def by_name(
    bs: BookingState, surname: str | None, given: str | None, *, infant: bool | None = None
) -> TravellerMeta | None:
    """The one traveller whose name agrees best, if exactly one does."""
    scored = [
        (name_score(surname, given, m.traveller.surname, m.traveller.given_names), m)
        for m in bs.travellers
    ]
    best = max((score for score, _ in scored), default=0)
    if best == 0:
        return None
    found = [m for score, m in scored if score == best]
    if len(found) > 1 and infant is not None:
        found = [m for m in found if is_infant(m.traveller) == infant] or found
    return found[0] if len(found) == 1 else None


def _warn_issues(state: PnrState, pending: PendingSsr, issues: list[Issue]) -> None:
    for issue in issues:
        state.warn(
            pending.segment,
            issue.code,
            f"SSR {pending.code}: {issue.message}",
            element=1,
            component=9,
            expected=issue.expected,
            found=issue.found,
        )


def _single(bs: BookingState) -> TravellerMeta | None:
    grown = [m for m in bs.travellers if not is_infant(m.traveller)]
    return grown[0] if len(grown) == 1 else None


# --- infants ---------------------------------------------------------------------------


def _apply_inft(state: PnrState, bs: BookingState, pending: PendingSsr) -> None:
    """SSR INFT names the infant on an adult's lap; an infant without a TIF is created."""
    facts = parse_inft(pending.text, state.reference_date(bs.booking))
    _warn_issues(state, pending, facts.issues)
    adult = by_ref(bs, pending.explicit_ref) or pending.context or _single(bs)
    if adult is not None and is_infant(adult.traveller):
        adult = None
    infant = _infant_of(bs, adult, facts)
    if infant is None:
        _new_infant(bs, pending, facts, adult)
        return
    if infant.traveller.infant_of is None and adult is not None:
        infant.traveller.infant_of = adult.traveller.reference
    if infant.traveller.date_of_birth is None:
        infant.traveller.date_of_birth = facts.date_of_birth


def _infant_of(
    bs: BookingState, adult: TravellerMeta | None, facts: PersonFacts
) -> TravellerMeta | None:
    """The infant `facts` describe: by name among infants, else the adult's only infant,
    else the only infant not yet tied to an adult."""
    infants = [m for m in bs.travellers if is_infant(m.traveller)]
    if facts.surname:
        named = [
            m
            for m in infants
            if name_score(facts.surname, facts.given, m.traveller.surname, m.traveller.given_names)
        ]
        if len(named) == 1:
            return named[0]
    if adult is not None and adult.traveller.reference:
        carried = [m for m in infants if m.traveller.infant_of == adult.traveller.reference]
        if carried:
            return carried[0] if len(carried) == 1 else None
    free = [m for m in infants if m.traveller.infant_of is None]
    return free[0] if len(free) == 1 else None


def _new_infant(
    bs: BookingState, pending: PendingSsr, facts: PersonFacts, adult: TravellerMeta | None
) -> TravellerMeta | None:
    if not facts.surname and adult is None:
        return None
    infant = PnrTraveller(
        surname=facts.surname or (adult.traveller.surname if adult else None),
        given_names=facts.given,
        passenger_type="IN",
        infant_of=adult.traveller.reference if adult else None,
        date_of_birth=facts.date_of_birth,
        gender=facts.gender,
    )
    meta = TravellerMeta(infant, pending.segment, facts.given)
    bs.booking.travellers.append(infant)
    bs.travellers.append(meta)
    return meta


def _pair_infants(state: PnrState, bs: BookingState) -> None:
    """Each infant TIF to the adult whose TIF carries the infant flag (`:A:2:1`): the same
    surname first, the nearest adult before the infant first; else a lone adult."""
    order = {id(m): i for i, m in enumerate(bs.travellers)}
    carrying: set[str | None] = {m.traveller.infant_of for m in bs.travellers}
    for meta in bs.travellers:
        infant = meta.traveller
        if not is_infant(infant) or infant.infant_of is not None:
            continue
        free = [
            a
            for a in bs.travellers
            if a.with_infant and a.traveller.reference and a.traveller.reference not in carrying
        ]
        if not free:
            single = _single(bs)
            free = [single] if single and single.traveller.reference else []
        if not free:
            state.warn(meta.segment, "infant_without_adult", "infant not tied to an adult")
            continue
        here = order[id(meta)]
        adult = min(
            free,
            key=lambda a: (
                a.traveller.surname != infant.surname,
                order[id(a)] > here,
                abs(order[id(a)] - here),
            ),
        )
        infant.infant_of = adult.traveller.reference
        carrying.add(adult.traveller.reference)


# --- DOCS, DOCA, DOCO, FOID --------------------------------------------------------------


def _apply_person_ssr(state: PnrState, bs: BookingState, pending: PendingSsr) -> None:
    reference = state.reference_date(bs.booking)
    if pending.code == "DOCS":
        facts = parse_docs(pending.text, reference)
    elif pending.code == "DOCA":
        facts = parse_doca(pending.text)
    elif pending.code == "DOCO":
        facts = parse_doco(pending.text, reference)
    else:
        document = parse_foid(pending.text)
        facts = PersonFacts(document=document)
        if document is None:  # a card, a frequent-flyer number ... kept as a request
            _keep_as_request(bs, pending)
            return
    _warn_issues(state, pending, facts.issues)
    target = _target(state, bs, pending, facts)
    if target is None:
        state.warn(
            pending.segment,
            "unassigned_ssr",
            f"SSR {pending.code} matches no traveller; kept as a booking request",
            element=2,
            component=3,
            found=pending.explicit_ref,
        )
        _keep_as_request(bs, pending)
        return
    _apply_facts(state, pending, target, facts)


def _keep_as_request(bs: BookingState, pending: PendingSsr) -> None:
    bs.booking.special_requests.append(
        SpecialRequest(
            code=pending.code,
            text=mask_cards(pending.text) or None,
            traveller_ref=pending.explicit_ref,
        )
    )


def _target(
    state: PnrState, bs: BookingState, pending: PendingSsr, facts: PersonFacts
) -> TravellerMeta | None:
    target = by_ref(bs, pending.explicit_ref)
    if pending.explicit_ref and target is None:
        state.warn(
            pending.segment,
            "unknown_traveller_ref",
            "SSR names a traveller reference no TIF has",
            element=2,
            component=3,
            found=pending.explicit_ref,
        )
    named = facts.surname is not None
    if target is not None and named and not _names_agree(facts, target):
        target = by_name(bs, facts.surname, facts.given, infant=facts.infant) or target
    if target is None and named:
        target = by_name(bs, facts.surname, facts.given, infant=facts.infant)
    target = target or pending.context or _single(bs)
    if target is not None and facts.infant and not is_infant(target.traveller):
        adult = target
        target = _infant_of(bs, adult, facts)
        if target is None and named:
            target = _new_infant(bs, pending, facts, adult)
    if target is None and named and not bs.travellers:
        target = _from_docs(state, bs, pending, facts)
    if target is not None and named and not _names_agree(facts, target):
        # Kept on the traveller the reference or position points to, but an analyst should
        # know that the document names someone else.
        state.warn(
            pending.segment,
            "ssr_name_mismatch",
            f"SSR {pending.code} names another person than the traveller it belongs to",
            element=1,
            component=9,
        )
    return target


def _names_agree(facts: PersonFacts, meta: TravellerMeta) -> bool:
    traveller = meta.traveller
    return bool(name_score(facts.surname, facts.given, traveller.surname, traveller.given_names))


def _from_docs(
    state: PnrState, bs: BookingState, pending: PendingSsr, facts: PersonFacts
) -> TravellerMeta:
    """A booking with DOCS but no TIF at all: the traveller is made from the DOCS name."""
    state.warn(pending.segment, "traveller_from_docs", "no TIF in the booking; DOCS name used")
    given, title = split_title(facts.given)
    traveller = PnrTraveller(surname=facts.surname, given_names=given, title=title)
    meta = TravellerMeta(traveller, pending.segment, facts.given)
    bs.booking.travellers.append(traveller)
    bs.travellers.append(meta)
    return meta


def _apply_facts(
    state: PnrState, pending: PendingSsr, meta: TravellerMeta, facts: PersonFacts
) -> None:
    traveller = meta.traveller
    if facts.document is not None:
        _add_document(traveller.documents, facts.document)
    if facts.address is not None and facts.address not in traveller.addresses:
        traveller.addresses.append(facts.address)
    traveller.country_of_residence = traveller.country_of_residence or facts.residence
    for attribute in ("date_of_birth", "gender", "nationality"):
        new = getattr(facts, attribute)
        old = getattr(traveller, attribute)
        if new is None:
            continue
        if old is None:
            setattr(traveller, attribute, new)
        elif old != new:
            state.warn(
                pending.segment,
                "conflicting_value",
                f"SSR {pending.code} gives another {attribute.replace('_', ' ')}; first kept",
                element=1,
                component=9,
            )
    traveller.surname = traveller.surname or facts.surname
    if pending.code == "DOCS" and facts.given and not meta.docs_given:
        meta.docs_given = " ".join(facts.given.split()[:1])


def _add_document(documents: list[TravelDocument], new: TravelDocument) -> None:
    """Add `new`, or fill the gaps of the same document sent twice (name and leg level)."""
    for document in documents:
        if document.number and document.number == new.number and document.type == new.type:
            for item in fields(TravelDocument):
                if getattr(document, item.name) is None:
                    setattr(document, item.name, getattr(new, item.name))
            return
    documents.append(new)


# --- contacts and check-in ---------------------------------------------------------------


def _contacts(bs: BookingState) -> None:
    """Normalise contacts: phones to E.164 (the agency's country for national numbers),
    e-mails with the airline escapes (`//` for @, `..` for _) undone."""
    agency_country = bs.booking.agency.country if bs.booking.agency else None
    default_region = agency_country if agency_country and len(agency_country) == 2 else None
    seen = {(c.kind, c.value, c.traveller_ref) for c in bs.booking.contacts}
    for pending in bs.contacts:
        if pending.kind == "email":
            value, ok = normalise_email(decode_airline_email(pending.raw))
        else:
            value, ok = normalise_phone(pending.raw, pending.region or default_region)
        key = (pending.kind, value, pending.traveller_ref)
        if not value or key in seen:
            continue
        seen.add(key)
        bs.booking.contacts.append(
            Contact(pending.kind, value, pending.raw, pending.source, pending.traveller_ref, ok)
        )


def _check_in_travellers(state: PnrState, bs: BookingState) -> None:
    for meta in bs.check_ins:
        check_in = meta.check_in
        found = by_ref(bs, check_in.traveller_ref)
        if found is None and meta.surname:
            found = by_name(bs, meta.surname, meta.given)
            if found is not None and check_in.traveller_ref is None:
                check_in.traveller_ref = found.traveller.reference
        if found is None and (check_in.traveller_ref or meta.surname):
            state.warn(
                meta.segment,
                "unknown_traveller",
                "check-in names no traveller of the booking",
                found=check_in.traveller_ref,
            )
        meta.traveller = found
