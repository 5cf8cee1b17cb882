"""PAXLST (UN/EDIFACT passenger and crew list) to the travel model.

Driven by trigger segments, not by group numbers or a fixed order: TDT opens a leg, a person
NAD opens a traveller, DOC opens a document, and every other segment attaches to whatever is
open. A person with odd or missing values is still loaded, with a warning that says where.
"""

from __future__ import annotations

from datetime import date

from firstline.ingest.edifact.dates import (
    DateValueError,
    parse_birth_date,
    parse_datetime,
    parse_document_date,
)
from firstline.ingest.edifact.envelope import EdifactMessage
from firstline.ingest.edifact.lexer import Segment, Source
from firstline.ingest.paxlst_persons import att, com, doc, emp, ftx, gei, mea, nad, nat, rff
from firstline.ingest.paxlst_state import (
    LEG_QUALIFIERS,
    MAX_FLIGHT_ID,
    NUMBER,
    PERSON_LOCATIONS,
    State,
    check_code,
    is_airport,
    is_country,
    split_designator,
)
from firstline.model.travel import (
    Flight,
    FlightLeg,
    PassengerList,
)


def map_paxlst(message: EdifactMessage, source: Source, *, today: date) -> PassengerList:
    """Map one UNH..UNT message to a PassengerList; never raises on content."""
    result = PassengerList(header=message.header, warnings=list(message.warnings))
    state = State(source, result, today)
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


def _finish(state: State) -> None:
    result = state.result
    if state.legs:
        first = state.legs[0]
        carrier, number = split_designator(first.flight_designator, first.carrier)
        result.flight = Flight(carrier=carrier, number=number, legs=state.legs)
    if result.header.part_number is not None:
        result.parts = [result.header.part_number]


def _skip(state: State, seg: Segment) -> None:
    """Envelope segments already read by the envelope layer."""


def _bgm(state: State, seg: Segment) -> None:
    state.result.document_code = seg.get(1) or None
    state.result.document_id = seg.get(2) or None
    if seg.get(3):
        state.result.header.extra["message_function"] = seg.get(3)


def _tdt(state: State, seg: Segment) -> None:
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
    state.leg, state.routing_seen = leg, 0


def _loc(state: State, seg: Segment) -> None:
    qualifier = seg.get(1)
    place = seg.element(2)
    # C517: 3225 location code, or the free-text name in component 4 (`:::AMBER HILL GBR`).
    value = (place[0] if place and place[0] else place[3] if len(place) > 3 else "").strip()
    if qualifier in LEG_QUALIFIERS and state.in_header:
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
        if code_list == "162" or (code_list != "163" and is_country(code)):
            state.document.issuing_country = code
        else:
            state.document.issuing_place = value or None
        return
    traveller = state.traveller
    if traveller is None:
        state.warn(seg, "orphan_location", "LOC outside a leg or person", found=qualifier)
        return
    attribute = PERSON_LOCATIONS.get(qualifier)
    if attribute is None:
        traveller.other_references[f"LOC+{qualifier}"] = value
        return
    if not value:
        state.warn(seg, "empty_value", f"LOC+{qualifier} without a location", element=2)
        return
    if attribute == "place_of_birth":
        value = " ".join(part for part in place if part.strip()).strip()
    elif attribute == "country_of_residence":
        check_code(state, seg, value, is_country, "country code")
    else:
        check_code(state, seg, value, is_airport, "airport code")
    setattr(traveller, attribute, value)


def _leg_location(state: State, seg: Segment, qualifier: str, value: str) -> None:
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
    check_code(state, seg, value, is_airport, "airport code")
    # LOC+92 names both ends of a progressive-flight leg, departure first.
    departure = qualifier == "125" or (qualifier == "92" and state.routing_seen == 0)
    if qualifier == "92":
        state.routing_seen += 1
    if departure:
        leg.departure_airport = value
    else:
        leg.arrival_airport = value


def _dtm(state: State, seg: Segment) -> None:
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


def _leg_time(state: State, seg: Segment, qualifier: str, value: str, fmt: str) -> None:
    if state.leg is None:
        state.warn(seg, "orphan_date", "flight date before any TDT")
        return
    when = parse_datetime(value, fmt)
    if qualifier == "232":
        state.leg.scheduled_arrival = when
    else:
        state.leg.scheduled_departure = when


def _birth_date(state: State, seg: Segment, value: str, fmt: str) -> None:
    if state.traveller is None:
        state.warn(seg, "orphan_date", "date of birth outside a person")
        return
    state.traveller.date_of_birth = parse_birth_date(value, fmt, state.reference_date)


def _document_date(state: State, seg: Segment, qualifier: str, value: str, fmt: str) -> None:
    if state.document is None:
        state.warn(seg, "orphan_date", "document date without a DOC before it")
        return
    day = parse_document_date(value, fmt)
    if qualifier == "36":
        state.document.expiry_date = day
    else:
        state.document.issue_date = day


def _cnt(state: State, seg: Segment) -> None:
    for components in seg.elements:
        qualifier = components[0] if components else ""
        value = components[1].strip() if len(components) > 1 else ""
        if not NUMBER.fullmatch(value):
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
    "RFF": rff,
    "NAD": nad,
    "COM": com,
    "TDT": _tdt,
    "LOC": _loc,
    "DTM": _dtm,
    "ATT": att,
    "NAT": nat,
    "MEA": mea,
    "GEI": gei,
    "FTX": ftx,
    "EMP": emp,
    "DOC": doc,
    "CNT": _cnt,
}
