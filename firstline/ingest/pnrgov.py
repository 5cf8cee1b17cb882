"""PNRGOV EDIFACT (IATA PADIS, IG releases 10.1 to 16.1) to the booking model.

Driven by trigger segments, not by group numbers (they shift between releases) nor by a
fixed order (GTAS lost 7% of production PNRs that way): SRC opens a booking, TIF a
traveller, TKT a ticket, FOP a payment, TVL a leg, DAT/ORG/TRI under a leg a check-in, EQN
a split, ABI or LTS the history, MSG a non-air product; every other segment is read in the
light of what is open. A traveller exists from TIF alone, DOCS or not. Nothing on content
raises: odd values become warnings that say where, and a segment that still cannot be
mapped is skipped with a `mapping_error` warning so that the other bookings load.

Module map: `pnrgov_state` (what is open), `pnrgov_segments` (segment readers),
`pnrgov_booking` and `pnrgov_legs` (handlers; TBD bags are read next to their check-in
group), `pnrgov_ssr` (SSR and remark text), `pnrgov_resolve` (end of booking),
`pnrgov_flight` (which flight the push is about).
"""

from __future__ import annotations

from collections.abc import Callable

from firstline.ingest import pnrgov_booking as booking
from firstline.ingest import pnrgov_legs as legs
from firstline.ingest.edifact.envelope import EdifactMessage
from firstline.ingest.edifact.lexer import Segment, Source
from firstline.ingest.options import ParseOptions
from firstline.ingest.pnrgov_flight import (
    Choice,
    FlightKey,
    Reference,
    choose_flight,
    mark_pushed,
    parse_reference,
)
from firstline.ingest.pnrgov_resolve import by_ref, resolve_booking
from firstline.ingest.pnrgov_segments import read_header_leg
from firstline.ingest.pnrgov_state import LEG_AREAS, Area, BookingState, PnrState, scrub
from firstline.ingest.pnrgov_values import parse_count
from firstline.logs import get_logger
from firstline.model.booking import CheckIn, PnrPush
from firstline.perf import without_gc

log = get_logger(__name__)

VERSIONS = frozenset(f"{version}:1" for version in range(10, 17))  # PNRGOV:10:1 .. 16:1
AGENCIES = frozenset({"IA", "XS"})  # IATA, and XS as SITA-relayed pushes write it
_ENVELOPE = frozenset({"UNH", "UNT"})
_HISTORY_CONTROL = frozenset({"ABI", "DAT", "SAC", "LTS"})
_ENDS_NON_AIR = frozenset({"TIF", "TKT", "FOP", "ABI", "LTS", "EQN", "MSG"})

Handler = Callable[[PnrState, Segment], None]


@without_gc
def map_pnrgov(message: EdifactMessage, source: Source, *, options: ParseOptions) -> PnrPush:
    """Map one UNH..UNT PNRGOV message to a PnrPush; never raises on content."""
    push = PnrPush(header=message.header, warnings=[scrub(w) for w in message.warnings])
    state = PnrState(source, options, push)
    unh = message.segments[0] if message.segments and message.segments[0].tag == "UNH" else None
    _check_version(state, unh)
    for seg in message.segments:
        try:
            _dispatch(state, seg)
        except Exception as exc:  # noqa: BLE001 - one bad segment must not lose the push
            _mapping_error(state, seg, exc)
    for bs in state.bookings:
        try:
            resolve_booking(state, bs)
        except Exception as exc:  # noqa: BLE001 - one bad booking must not lose the others
            _mapping_error(state, bs.src, exc)
    try:
        _pushed_flight(state, unh)
    except Exception as exc:  # noqa: BLE001 - the bookings are worth keeping without it
        _mapping_error(state, state.header_tvl or unh, exc)
    _check_counts(state, unh)
    # In the order of the text: warnings found at the end of a booking point back into it.
    push.warnings.sort(key=lambda w: w.segment_index or 0)
    return push


def _dispatch(state: PnrState, seg: Segment) -> None:
    tag = seg.tag
    if tag in _ENVELOPE:  # read by the envelope layer
        return
    if tag == "SRC":
        state.open_booking(seg)
        return
    current = state.current
    if current is not None:  # history and non-air groups only exist inside a booking
        area = current.area
        if area is Area.HISTORY and tag not in _HISTORY_CONTROL:
            legs.history_item(state, seg)
            return
        if area is Area.NON_AIR and tag not in _ENDS_NON_AIR:
            return
    handler = _HANDLERS.get(tag)
    if handler is None:
        state.warn(
            seg, "unexpected_segment", f"segment {tag} is not used in PNRGOV; skipped", found=tag
        )
        return
    handler(state, seg)


def _mapping_error(state: PnrState, seg: Segment | None, exc: Exception) -> None:
    # Only the segment position and the error type: the message may hold personal data.
    log.warning(
        "pnrgov_mapping_error",
        segment=seg.tag if seg else None,
        index=seg.index if seg else None,
        error=type(exc).__name__,
    )
    state.warn(seg, "mapping_error", "could not be mapped; skipped", found=type(exc).__name__)


def _check_version(state: PnrState, unh: Segment | None) -> None:
    if unh is None:
        return
    version = f"{unh.get(2, 2)}:{unh.get(2, 3)}"
    if version not in VERSIONS:
        state.warn(
            unh,
            "unsupported_version",
            "PNRGOV version outside 10:1 to 16:1; read as the nearest release",
            element=2,
            component=2,
            expected="10:1 to 16:1",
            found=version,
        )
    agency = unh.get(2, 4)
    if agency not in AGENCIES:
        state.warn(
            unh,
            "unexpected_agency",
            "PNRGOV controlling agency is not IA or XS",
            element=2,
            component=4,
            expected="IA or XS",
            found=agency,
        )


# --- header and area-dependent segments ---------------------------------------------------


def _msg(state: PnrState, seg: Segment) -> None:
    if state.area is not Area.HEADER:
        legs.non_air(state, seg)
        return
    state.seen_msg = True
    function = seg.get(1, 2).strip()
    state.push.header.extra["message_function"] = function
    if function and function != "22":
        state.warn(
            seg,
            "unexpected_function",
            "MSG function is not 22 (push of PNR data); read as a push",
            element=1,
            component=2,
            expected="22",
            found=function,
        )


def _org(state: PnrState, seg: Segment) -> None:
    area = state.area
    if area is Area.HEADER:
        if state.seen_org:
            state.warn(seg, "duplicate_segment", "second header ORG ignored", found="ORG")
            return
        state.seen_org = True
        state.push.sender = seg.get(1).strip().upper() or None
        if seg.get(1, 2).strip():
            state.push.header.extra["sender_location"] = seg.get(1, 2).strip().upper()
    elif area in LEG_AREAS:
        legs.check_in_org(state, seg, _open(state))
    else:
        booking.agency(state, seg)


def _tvl(state: PnrState, seg: Segment) -> None:
    if state.area is not Area.HEADER:
        legs.tvl(state, seg)
    elif state.header_tvl is not None:
        state.warn(seg, "duplicate_segment", "second header TVL ignored", found="TVL")
    else:
        state.header_tvl = seg
        state.header_leg = read_header_leg(state, seg)


def _eqn(state: PnrState, seg: Segment) -> None:
    if state.area is not Area.HEADER:
        legs.split(state, seg)
        return
    state.header_eqn = seg
    value = seg.get(1).strip()
    state.push.declared_bookings = parse_count(value)
    if state.push.declared_bookings is None:
        state.warn(
            seg, "bad_number", "EQN is not a count", element=1, expected="number", found=value
        )


def _dat(state: PnrState, seg: Segment) -> None:
    bs = state.booking(seg)
    if bs.area is Area.HISTORY:
        legs.history_dat(state, seg, bs)
    elif bs.area in LEG_AREAS:
        legs.check_in_dat(state, seg, bs)
    else:
        booking.booking_dat(state, seg, bs)


def _tif(state: PnrState, seg: Segment) -> None:
    """Under a leg, a TIF naming a known traveller says who checked in; one naming someone
    new is a traveller sent after the itinerary (out of the IG order, a traveller still)."""
    if state.area in LEG_AREAS and booking.is_known(_open(state), seg):
        legs.check_in_tif(state, seg, _open(state))
    else:
        booking.tif(state, seg)


def _open(state: PnrState) -> BookingState:
    assert state.current is not None  # LEG_AREAS are only ever set inside a booking
    return state.current


_HANDLERS: dict[str, Handler] = {
    "MSG": _msg,
    "ORG": _org,
    "TVL": _tvl,
    "EQN": _eqn,
    "DAT": _dat,
    "TIF": _tif,
    "RCI": booking.rci,
    "SSR": booking.ssr,
    "IFT": booking.ift,
    "ADD": booking.add,
    "EBD": booking.ebd,
    "FTI": booking.fti,
    "REF": booking.ref,
    "FAR": booking.far,
    "TKT": booking.tkt,
    "MON": booking.ticket_detail,
    "PTK": booking.ticket_detail,
    "TXD": booking.ticket_detail,
    "FOP": booking.fop,
    "TRA": legs.leg_detail,
    "RPI": legs.leg_detail,
    "APD": legs.leg_detail,
    "TRI": legs.tri,
    "SSD": legs.ssd,
    "TBD": legs.tbd,
    "ABI": legs.abi,
    "SAC": legs.sac,
    "LTS": legs.lts,
}


# --- end of message ---------------------------------------------------------------------


def _pushed_flight(state: PnrState, unh: Segment | None) -> None:
    push = state.push
    reference = parse_reference(push.header.common_access_reference)
    check_in_legs = [m.leg for bs in state.bookings for m in bs.check_ins if m.leg is not None]
    choice = choose_flight(state.header_leg, reference, push.bookings, check_in_legs)
    push.flight = choice.flight
    if choice.key is not None:
        missing = {id(pnr) for pnr in mark_pushed(choice.key, push.bookings)}
        for bs in state.bookings:
            if id(bs.booking) in missing:
                state.warn(
                    bs.src,
                    "booking_without_pushed_flight",
                    "no leg of this booking is the pushed flight",
                    expected=choice.key.describe(),
                )
        _header_warning(state, choice, unh)
        _reference_warning(state, choice.key, reference, unh)
    if push.flight is None:
        state.warn(unh, "no_flight", "no flight found in header, itinerary or reference")
    _apply_check_ins(state)


def _header_warning(state: PnrState, choice: Choice, unh: Segment | None) -> None:
    key = choice.key
    assert key is not None  # called only once a flight was chosen
    if choice.header_key is None:
        state.warn(
            state.header_tvl or unh,
            "missing_header_flight",
            f"no usable header TVL; flight taken from the {choice.source}",
            expected="TVL with carrier and flight number",
            found=key.describe(),
        )
    elif choice.source != "header":
        state.warn(
            state.header_tvl,
            "header_flight_mismatch",
            "header TVL is not the flight the bookings hold; itinerary flight used",
            expected=key.describe(),
            found=choice.header_key.describe(),
        )


def _reference_warning(
    state: PnrState, key: FlightKey, reference: Reference | None, unh: Segment | None
) -> None:
    """The common access reference may name the marketing or the operating flight."""
    if reference is None or reference.carrier is None:
        return
    named: set[tuple[str | None, str | None]] = {(key.carrier, key.number)}
    for pnr in state.push.bookings:
        for leg in pnr.itinerary:
            if leg.is_pushed_flight:
                named.add((leg.marketing_carrier, leg.marketing_number))
                named.add((leg.operating_carrier, leg.operating_number))
    if (reference.carrier, reference.number) not in named:
        state.warn(
            unh,
            "reference_flight_mismatch",
            "common access reference names another flight",
            element=3,
            expected=key.describe(),
            found=state.push.header.common_access_reference,
        )


def _apply_check_ins(state: PnrState) -> None:
    """Check-in data and seats count for the travellers only on the pushed flight."""
    for bs in state.bookings:
        pushed = [leg for leg in bs.booking.itinerary if leg.is_pushed_flight]
        for meta in bs.check_ins:
            if meta.leg is not None and not meta.leg.is_pushed_flight:
                state.warn(meta.segment, "checkin_other_flight", "check-in under another leg")
                continue
            check_in = meta.check_in
            if meta.traveller is not None and _has_data(check_in):
                meta.traveller.traveller.checked_in = True
                meta.traveller.traveller.seat = check_in.seat or meta.traveller.traveller.seat
        for request in bs.seats:
            if request.leg is not None:
                applies = request.leg.is_pushed_flight
            elif request.board:
                applies = any(leg.departure_airport == request.board for leg in pushed)
            else:
                applies = len(bs.booking.itinerary) <= 1
            target = by_ref(bs, request.traveller_ref)
            if applies and target is not None and target.traveller.seat is None:
                target.traveller.seat = request.seat
        sizes = [leg.party_size for leg in pushed + bs.booking.itinerary if leg.party_size]
        bs.booking.number_in_party = sizes[0] if sizes else None


def _has_data(check_in: CheckIn) -> bool:
    """A group that only names the traveller says nothing about a check-in."""
    return bool(
        check_in.boarding_number
        or check_in.seat
        or check_in.checked_in_at
        or check_in.bag_pieces is not None
        or check_in.bag_tags
    )


def _check_counts(state: PnrState, unh: Segment | None) -> None:
    push, header = state.push, state.push.header
    if not state.seen_msg:
        state.warn(unh, "missing_segment", "no MSG in the header", expected="MSG")
    if not state.seen_org:
        push.sender = header.sender  # the interchange sender (UNB) stands in
        state.warn(unh, "missing_segment", "no ORG in the header; UNB sender used", expected="ORG")
    declared = push.declared_bookings
    # In a multi-part push EQN may count the whole push or the part: not checked there.
    single = header.part_number is None or (header.part_number == 1 and header.is_last_part)
    if declared is not None and single and declared != len(push.bookings):
        state.warn(
            state.header_eqn,
            "booking_count",
            "EQN differs from the number of bookings (SRC)",
            element=1,
            expected=len(push.bookings),
            found=declared,
        )
