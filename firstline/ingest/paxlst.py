"""PAXLST (UN/EDIFACT passenger and crew list) to the travel model.

Driven by trigger segments, not by group numbers or a fixed order: TDT opens a leg, a person
NAD opens a traveller, DOC opens a document, and every other segment attaches to whatever is
open. A person with odd or missing values is still loaded, with a warning that says where.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from firstline.ingest.edifact.dates import (
    DateValueError,
    parse_birth_date,
    parse_datetime,
    parse_document_date,
)
from firstline.ingest.edifact.envelope import EdifactMessage, make_warning
from firstline.ingest.edifact.lexer import Segment, Source
from firstline.model.travel import (
    Address,
    BagTagRange,
    Contact,
    Flight,
    FlightLeg,
    PassengerList,
    TravelDocument,
    Traveller,
    TravellerRole,
)

ROLES = {
    "FL": TravellerRole.PASSENGER,
    "FM": TravellerRole.CREW,
    "DDU": TravellerRole.IN_TRANSIT_PASSENGER,
    "DDT": TravellerRole.IN_TRANSIT_CREW,
    "ZZZ": TravellerRole.UNNAMED,
    "VW": TravellerRole.OTHER,
}
CONTACT_KINDS = {"TE": "phone", "FX": "fax", "EM": "email"}
GENDERS = frozenset({"M", "F", "U", "X"})
DOCUMENT_TYPES = frozenset(
    {
        "P",
        "V",
        "I",
        "A",
        "C",
        "AC",
        "IP",
        "F",
        "M",
        "T",
        "PT",
        "PD",
        "PS",
        "G",
        "L",
        "5K",
        "39",
        "OTD",
    }
)
MAX_NAME = 35  # C080 party name components are an..35 in the IG
MAX_DOCUMENT_NUMBER = 35
MAX_FLIGHT_ID = 17


def _is_country(value: str) -> bool:
    """ISO 3166 alpha-2 or alpha-3 shape (string tests: this runs for every person)."""
    return 2 <= len(value) <= 3 and value.isascii() and value.isalpha() and value.isupper()


def _is_airport(value: str) -> bool:
    """IATA location code shape: three capital letters."""
    return len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()


# Plain ASCII numbers only: int() and float() also accept "²", "1_0", " 1", "nan" and "inf",
# and int() raises on more than 4300 digits.
_NUMBER = re.compile(r"[0-9]{1,9}")
_DECIMAL = re.compile(r"[0-9]{1,9}(?:[.,][0-9]{1,6})?")
_DESIGNATOR = re.compile(r"([A-Z0-9]{2}[A-Z]?)?0*(\d{1,5})([A-Z]?)")
_LEG_QUALIFIERS = frozenset({"125", "87", "92"})
_PERSON_LOCATIONS = {
    "22": "place_of_clearance",
    "174": "country_of_residence",
    "178": "port_of_embarkation",
    "179": "port_of_debarkation",
    "180": "place_of_birth",
}
_REFERENCES = {
    "AVF": "booking_reference",
    "ABO": "passenger_reference",
    "SEA": "seat",
    "YZY": "ticket_number",
    "CN": "ticket_number",
}


@dataclass(slots=True)
class _State:
    source: Source
    result: PassengerList
    today: date
    leg: FlightLeg | None = None
    leg_segment: Segment | None = None
    routing_seen: int = 0
    traveller: Traveller | None = None
    document: TravelDocument | None = None
    in_header: bool = True
    legs: list[FlightLeg] = field(default_factory=list)
    _reference: date | None = None

    def warn(self, seg: Segment, code: str, message: str, **kw: Any) -> None:
        self.result.warnings.append(make_warning(self.source, seg, code, message, **kw))

    @property
    def reference_date(self) -> date:
        """The flight date (else today), against which two-digit birth years are read."""
        cached = self._reference
        if cached is None or self.in_header:
            first = self.legs[0].scheduled_departure if self.legs else None
            cached = self._reference = first.date() if first else self.today
        return cached


def map_paxlst(message: EdifactMessage, source: Source, *, today: date) -> PassengerList:
    """Map one UNH..UNT message to a PassengerList; never raises on content."""
    result = PassengerList(header=message.header, warnings=list(message.warnings))
    state = _State(source, result, today)
    for seg in message.segments:
        handler = _HANDLERS.get(seg.tag)
        if handler is None:
            state.warn(
                seg,
                "unexpected_segment",
                f"segment {seg.tag} is not used in PAXLST",
                found=seg.tag,
            )
            continue
        handler(state, seg)
    _finish(state)
    return result


def _finish(state: _State) -> None:
    result = state.result
    if state.legs:
        first = state.legs[0]
        carrier, number = split_designator(first.flight_designator, first.carrier)
        result.flight = Flight(carrier=carrier, number=number, legs=state.legs)
    if result.header.part_number is not None:
        result.parts = [result.header.part_number]


def split_designator(designator: str | None, carrier: str | None) -> tuple[str | None, str | None]:
    """Carrier and flight number from a TDT flight id: `BA0117` gives ("BA", "117")."""
    if not designator:
        return carrier, None
    cleaned = designator.replace(" ", "").upper()
    if carrier and cleaned.startswith(carrier):
        rest = cleaned[len(carrier) :].lstrip("0") or "0"
        return carrier, rest
    match = _DESIGNATOR.fullmatch(cleaned)
    if match is None:
        return carrier, cleaned
    prefix, digits, suffix = match.groups()
    return carrier or prefix, digits + suffix


# --- handlers, one per trigger or attached segment -------------------------------------


def _skip(state: _State, seg: Segment) -> None:
    """Envelope segments already read by the envelope layer."""


def _bgm(state: _State, seg: Segment) -> None:
    state.result.document_code = seg.get(1) or None
    state.result.document_id = seg.get(2) or None
    if seg.get(3):
        state.result.header.extra["message_function"] = seg.get(3)


def _rff(state: _State, seg: Segment) -> None:
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
    attribute = _REFERENCES.get(qualifier)
    if attribute is not None:
        setattr(traveller, attribute, value or None)
    elif qualifier:
        traveller.other_references[qualifier] = value


def _nad(state: _State, seg: Segment) -> None:
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


def _com(state: _State, seg: Segment) -> None:
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


def _tdt(state: _State, seg: Segment) -> None:
    if not state.in_header:
        state.warn(seg, "late_tdt", "TDT after the first person; read as another leg")
    designator = seg.get(2).strip() or None
    carrier = seg.get(5).strip() or None
    if designator is None:
        state.warn(
            seg,
            "missing_flight",
            "TDT without a flight identifier",
            element=2,
            expected="flight id, e.g. BA0117",
            found="",
        )
    elif len(designator) > MAX_FLIGHT_ID:
        state.warn(
            seg,
            "value_too_long",
            "flight identifier longer than the IG allows",
            element=2,
            expected=f"at most {MAX_FLIGHT_ID} characters",
            found=len(designator),
        )
    elif carrier and not designator.startswith(carrier):
        state.warn(
            seg,
            "flight_carrier_mismatch",
            "flight id does not start with its carrier",
            element=2,
            expected=carrier,
            found=designator,
        )
    if carrier is None and designator:
        carrier, _ = split_designator(designator, None)
    leg = FlightLeg(carrier=carrier, flight_designator=designator)
    state.legs.append(leg)
    state.leg, state.leg_segment, state.routing_seen = leg, seg, 0


def _loc(state: _State, seg: Segment) -> None:
    qualifier = seg.get(1)
    place = seg.element(2)
    # C517: 3225 location code, or the free-text name in component 4 (`:::AMBER HILL GBR`).
    value = (place[0] if place and place[0] else place[3] if len(place) > 3 else "").strip()
    if qualifier in _LEG_QUALIFIERS and state.in_header:
        _leg_location(state, seg, qualifier, value)
        return
    if qualifier == "91":
        if state.document is None:
            state.warn(seg, "orphan_document_location", "LOC+91 without a DOC before it")
            return
        code = place[0].strip() if place else ""
        code_list = place[1] if len(place) > 1 else ""
        # Code list 162 is a country, 163 a country sub-entity (US state); unqualified
        # two- or three-letter codes are read as countries, anything else as a place name.
        if code_list == "162" or (code_list != "163" and _is_country(code)):
            state.document.issuing_country = code
        else:
            state.document.issuing_place = value or None
        return
    traveller = state.traveller
    if traveller is None:
        state.warn(seg, "orphan_location", "LOC outside a leg or person", found=qualifier)
        return
    attribute = _PERSON_LOCATIONS.get(qualifier)
    if attribute is None:
        traveller.other_references[f"LOC+{qualifier}"] = value
        return
    if not value:
        state.warn(seg, "empty_value", f"LOC+{qualifier} without a location", element=2)
        return
    if attribute == "place_of_birth":
        value = " ".join(part for part in place if part.strip()).strip()
    elif attribute == "country_of_residence":
        _check_code(state, seg, value, _is_country, "country code")
    else:
        _check_code(state, seg, value, _is_airport, "airport code")
    setattr(traveller, attribute, value)


def _leg_location(state: _State, seg: Segment, qualifier: str, value: str) -> None:
    leg = state.leg
    if leg is None:
        state.warn(seg, "orphan_location", "itinerary LOC before any TDT")
        return
    if not value:
        state.warn(
            seg,
            "empty_value",
            f"LOC+{qualifier} without an airport",
            element=2,
            expected="airport code",
            found="",
        )
        return
    _check_code(state, seg, value, _is_airport, "airport code")
    # LOC+92 names both ends of a progressive-flight leg, departure first.
    departure = qualifier == "125" or (qualifier == "92" and state.routing_seen == 0)
    if qualifier == "92":
        state.routing_seen += 1
    if departure:
        leg.departure_airport = value
    else:
        leg.arrival_airport = value


def _check_code(
    state: _State, seg: Segment, value: str, valid: Callable[[str], bool], what: str
) -> None:
    if not valid(value):
        state.warn(
            seg,
            "bad_code",
            f"not a valid {what}",
            element=2,
            expected=what,
            found=value,
        )


def _dtm(state: _State, seg: Segment) -> None:
    parts = seg.element(1)
    qualifier, value, fmt = (parts + ["", "", ""])[:3] if len(parts) < 3 else parts[:3]
    if not value.strip():
        state.warn(
            seg,
            "empty_value",
            f"DTM+{qualifier} without a value",
            element=1,
            component=2,
            expected="date",
            found="",
        )
        return
    try:
        if qualifier in ("189", "232", "132"):
            _leg_time(state, seg, qualifier, value, fmt)
        elif qualifier == "329":
            _birth_date(state, seg, value, fmt)
        elif qualifier in ("36", "182"):
            _document_date(state, seg, qualifier, value, fmt)
        else:
            state.warn(
                seg,
                "unknown_qualifier",
                "DTM qualifier not used in PAXLST",
                element=1,
                found=qualifier,
            )
    except DateValueError as exc:
        state.warn(
            seg,
            "bad_date",
            "date cannot be read",
            element=1,
            component=2,
            expected=str(exc),
            found=value,
        )


def _leg_time(state: _State, seg: Segment, qualifier: str, value: str, fmt: str) -> None:
    if state.leg is None:
        state.warn(seg, "orphan_date", "flight date before any TDT")
        return
    when = parse_datetime(value, fmt)
    if qualifier == "232":
        state.leg.scheduled_arrival = when
    else:
        state.leg.scheduled_departure = when


def _birth_date(state: _State, seg: Segment, value: str, fmt: str) -> None:
    if state.traveller is None:
        state.warn(seg, "orphan_date", "date of birth outside a person")
        return
    state.traveller.date_of_birth = parse_birth_date(value, fmt, state.reference_date)


def _document_date(state: _State, seg: Segment, qualifier: str, value: str, fmt: str) -> None:
    if state.document is None:
        state.warn(seg, "orphan_date", "document date without a DOC before it")
        return
    day = parse_document_date(value, fmt)
    if qualifier == "36":
        state.document.expiry_date = day
    else:
        state.document.issue_date = day


def _att(state: _State, seg: Segment) -> None:
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


def _nat(state: _State, seg: Segment) -> None:
    if state.traveller is None:
        return
    code = seg.get(2).strip()
    if code:
        _check_code(state, seg, code, _is_country, "country code")
        state.traveller.nationality = code


def _mea(state: _State, seg: Segment) -> None:
    traveller = state.traveller
    if traveller is None:
        return
    qualifier, amount = seg.get(1), seg.get(3, 2).strip()
    try:
        if qualifier == "CT":
            traveller.checked_bags = int(_plain(amount, _NUMBER))
        elif qualifier == "WT":
            traveller.bag_weight_kg = float(_plain(amount, _DECIMAL).replace(",", "."))
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


def _plain(value: str, pattern: re.Pattern[str]) -> str:
    """`value` when it is a plain ASCII number matching `pattern`, else ValueError."""
    if not pattern.fullmatch(value):
        raise ValueError(value)
    return value


def _gei(state: _State, seg: Segment) -> None:
    if state.traveller is not None and seg.get(1) == "4":
        state.traveller.document_verified = {"173": True, "174": False}.get(seg.get(2))


def _ftx(state: _State, seg: Segment) -> None:
    if state.traveller is None or seg.get(1) != "BAG":
        return
    tag, count = seg.get(4, 1).strip(), seg.get(4, 2).strip()
    if tag:
        number = int(count) if _NUMBER.fullmatch(count) else 1
        state.traveller.bag_tags.append(BagTagRange(tag, number))


def _emp(state: _State, seg: Segment) -> None:
    if state.traveller is not None:
        state.traveller.crew_function = seg.get(2) or None


def _doc(state: _State, seg: Segment) -> None:
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


def _cnt(state: _State, seg: Segment) -> None:
    for components in seg.elements:
        qualifier = components[0] if components else ""
        value = components[1].strip() if len(components) > 1 else ""
        if not _NUMBER.fullmatch(value):
            state.warn(
                seg,
                "bad_number",
                "CNT total is not a number",
                element=1,
                component=2,
                expected="number",
                found=value,
            )
            continue
        if qualifier == "42":
            state.result.declared_passengers = int(value)
        elif qualifier == "41":
            state.result.declared_crew = int(value)


_HANDLERS = {
    "UNH": _skip,
    "UNT": _skip,
    "BGM": _bgm,
    "RFF": _rff,
    "NAD": _nad,
    "COM": _com,
    "TDT": _tdt,
    "LOC": _loc,
    "DTM": _dtm,
    "ATT": _att,
    "NAT": _nat,
    "MEA": _mea,
    "GEI": _gei,
    "FTX": _ftx,
    "EMP": _emp,
    "DOC": _doc,
    "CNT": _cnt,
}
