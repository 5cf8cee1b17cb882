"""PAXLST person-group segments: NAD opens a traveller, the others attach to it."""

from __future__ import annotations

from firstline.ingest.edifact.lexer import Segment
from firstline.ingest.paxlst_state import (
    CONTACT_KINDS,
    DECIMAL,
    DOCUMENT_TYPES,
    GENDERS,
    MAX_DOCUMENT_NUMBER,
    MAX_NAME,
    NUMBER,
    REFERENCES,
    ROLES,
    State,
    check_code,
    is_country,
    plain,
)
from firstline.model.travel import (
    Address,
    BagTagRange,
    Contact,
    TravelDocument,
    Traveller,
    TravellerRole,
)


def rff(state: State, seg: Segment) -> None:
    qualifier, value = seg.get(1, 1), seg.get(1, 2)
    traveller = state.traveller
    if traveller is None:
        if qualifier == "TN":
            state.result.transaction_reference = value or None
            # C506: 1154 reference, 1156 line, 4000 version, 1060 revision (`TN:<ref>:::1`).
            revision = seg.get(1, 5) or seg.get(1, 4)
            if revision:
                state.result.header.extra["transaction_revision"] = revision
        elif qualifier:
            state.result.header.extra[f"RFF+{qualifier}"] = value
        return
    attribute = REFERENCES.get(qualifier)
    if attribute is not None:
        setattr(traveller, attribute, value or None)
    elif qualifier:
        traveller.other_references[qualifier] = value


def nad(state: State, seg: Segment) -> None:
    qualifier = seg.get(1)
    if qualifier == "MS":
        party = state.result.reporting_party
        party.party_id = seg.get(2) or None
        party.name = " ".join(c for c in seg.element(4) if c) or None
        return
    role = ROLES.get(qualifier)
    if role is None:
        state.warn(
            seg,
            "unknown_party",
            "unknown NAD party qualifier; kept as other",
            element=1,
            expected="FL, FM, DDU, DDT, ZZZ or MS",
            found=qualifier,
        )
        role = TravellerRole.OTHER
    state.in_header = False
    state.document = None
    name = seg.element(4)
    surname = name[0].strip() if name else ""
    given = " ".join(part.strip() for part in name[1:3] if part.strip())
    traveller = Traveller(
        role=role,
        surname=surname or None,
        given_names=given or None,
        segment_index=seg.index,
    )
    for position, part in enumerate(name[:3], start=1):
        if len(part) > MAX_NAME:
            state.warn(
                seg,
                "value_too_long",
                "name component longer than the IG allows",
                element=4,
                component=position,
                expected=f"at most {MAX_NAME} characters",
                found=len(part),
            )
    if role is not TravellerRole.UNNAMED:
        if not surname:
            state.warn(
                seg,
                "missing_surname",
                "person without a surname",
                element=4,
                expected="surname",
                found="",
            )
        elif not given:
            state.warn(
                seg,
                "missing_given_name",
                "person without a given name",
                element=4,
                component=2,
                expected="given name",
                found="",
            )
    traveller.address = _address(seg)
    state.result.travellers.append(traveller)
    state.traveller = traveller


def _address(seg: Segment) -> Address | None:
    if len(seg.elements) < 5:  # most people have no address: NAD+FL+++NAME
        return None
    street = " ".join(c.strip() for c in seg.element(5) if c.strip())
    region_parts = seg.element(7)
    region = (region_parts[3] if len(region_parts) > 3 and region_parts[3] else seg.get(7)).strip()
    address = Address(
        street=street or None,
        city=seg.get(6).strip() or None,
        region=region or None,
        postcode=seg.get(8).strip() or None,
        country=seg.get(9).strip() or None,
    )
    if any(
        (
            address.street,
            address.city,
            address.region,
            address.postcode,
            address.country,
        )
    ):
        return address
    return None


def com(state: State, seg: Segment) -> None:
    contacts = [
        Contact(
            kind=CONTACT_KINDS.get(c[1] if len(c) > 1 else "", c[1] if len(c) > 1 else ""),
            value=c[0].strip(),
        )
        for c in seg.elements
        if c and c[0].strip()
    ]
    target = state.traveller.contacts if state.traveller else state.result.reporting_party.contacts
    target.extend(contacts)


def att(state: State, seg: Segment) -> None:
    if state.traveller is None or seg.get(1) != "2":
        return
    gender = seg.get(3).strip().upper()
    if not gender:
        state.warn(
            seg,
            "empty_value",
            "ATT+2 without a gender",
            element=3,
            expected="M, F, U or X",
            found="",
        )
    elif gender not in GENDERS:
        state.warn(
            seg,
            "bad_code",
            "unknown gender code",
            element=3,
            expected="M, F, U or X",
            found=gender,
        )
    else:
        state.traveller.gender = gender


def nat(state: State, seg: Segment) -> None:
    if state.traveller is None:
        return
    code = seg.get(2).strip()
    if code:
        check_code(state, seg, code, is_country, "country code")
        state.traveller.nationality = code


def mea(state: State, seg: Segment) -> None:
    traveller = state.traveller
    if traveller is None:
        return
    qualifier, amount = seg.get(1), seg.get(3, 2).strip()
    try:
        if qualifier == "CT":
            traveller.checked_bags = int(plain(amount, NUMBER))
        elif qualifier == "WT":
            traveller.bag_weight_kg = float(plain(amount, DECIMAL).replace(",", "."))
    except ValueError:
        state.warn(
            seg,
            "bad_number",
            f"MEA+{qualifier} is not a number",
            element=3,
            component=2,
            expected="number",
            found=amount,
        )


def gei(state: State, seg: Segment) -> None:
    if state.traveller is not None and seg.get(1) == "4":
        state.traveller.document_verified = {"173": True, "174": False}.get(seg.get(2))


def ftx(state: State, seg: Segment) -> None:
    if state.traveller is None or seg.get(1) != "BAG":
        return
    tag, count = seg.get(4, 1).strip(), seg.get(4, 2).strip()
    if tag:
        number = int(count) if NUMBER.fullmatch(count) else 1
        state.traveller.bag_tags.append(BagTagRange(tag, number))


def emp(state: State, seg: Segment) -> None:
    if state.traveller is not None:
        state.traveller.crew_function = seg.get(2) or None


def doc(state: State, seg: Segment) -> None:
    if state.traveller is None:
        state.warn(seg, "orphan_document", "DOC before any person")
        return
    doc_type, number = seg.get(1).strip() or None, seg.get(2).strip() or None
    if doc_type and doc_type not in DOCUMENT_TYPES:
        state.warn(
            seg,
            "unknown_document_type",
            "document type not in the code list; kept",
            element=1,
            found=doc_type,
        )
    if number is None:
        state.warn(
            seg,
            "empty_value",
            "DOC without a document number",
            element=2,
            expected="document number",
            found="",
        )
    elif len(number) > MAX_DOCUMENT_NUMBER:
        state.warn(
            seg,
            "value_too_long",
            "document number longer than the IG allows",
            element=2,
            expected=f"at most {MAX_DOCUMENT_NUMBER} characters",
            found=len(number),
        )
    document = TravelDocument(type=doc_type, number=number)
    state.traveller.documents.append(document)
    state.document = document
