"""Handlers for the itinerary, check-in and history groups of a PNRGOV booking.

Check-in (DCS) groups sit under the TVL of a leg: DAT and ORG open one, TRI gives the
boarding number and traveller, TIF names the traveller, SSD the seat, TBD the bags. Which
leg is the pushed flight is only known at the end of the message, so each group remembers
its leg. History groups (ABI, DAT, SAC, then historical segments, LTS lines) become
HistoryEntry items and never touch the current booking data.
"""

from __future__ import annotations

from firstline.ingest.edifact.lexer import Segment
from firstline.ingest.pnrgov_segments import composites, padded, read_dates, read_leg
from firstline.ingest.pnrgov_state import (
    LEG_AREAS,
    Area,
    BookingState,
    CheckInMeta,
    HistoryContext,
    PnrState,
)
from firstline.ingest.pnrgov_values import (
    flight_number,
    mask_cards,
    mask_long_digits,
    parse_amount,
    parse_count,
    split_title,
)
from firstline.model.booking import BagTagRun, CheckIn, HistoryEntry

POOL_CODES = frozenset({"HP", "MP"})  # head of pool, member of pool

# --- itinerary -------------------------------------------------------------------------


def tvl(state: PnrState, seg: Segment) -> None:
    bs = state.booking(seg)
    leg = read_leg(state, seg)
    bs.booking.itinerary.append(leg)
    bs.leg, bs.check_in = leg, None
    bs.area = Area.LEG


def leg_detail(state: PnrState, seg: Segment) -> None:
    """TRA (operating flight), RPI (party size, status) and APD (equipment) add to a leg."""
    bs = state.booking(seg)
    leg = bs.leg if bs.area in LEG_AREAS else None
    if leg is None:
        state.warn(seg, "orphan_segment", f"{seg.tag} without a TVL before it", found=seg.tag)
        return
    if seg.tag == "TRA":
        carrier = seg.get(1).strip().upper() or None
        number = flight_number(seg.get(2))
        if (carrier, number) != (leg.marketing_carrier, leg.marketing_number):
            leg.operating_carrier = carrier or leg.operating_carrier
            leg.operating_number = number
    elif seg.tag == "RPI":
        size = seg.get(1).strip()
        leg.party_size = parse_count(size) if size else None
        if size and leg.party_size is None:
            state.warn(seg, "bad_number", "RPI party size", element=1, found=size)
        leg.status = seg.get(2).strip().upper() or None
    else:
        leg.equipment = seg.get(1).strip().upper() or None


def split(state: PnrState, seg: Segment) -> None:
    """EQN inside a booking: the RCIs that follow name the PNRs it was split from."""
    state.booking(seg).area = Area.SPLIT


def non_air(state: PnrState, seg: Segment) -> None:
    """MSG inside a booking opens a non-air product (hotel, car ...): skipped."""
    state.warn(seg, "non_air_skipped", "non-air product group skipped", found=seg.get(1, 2))
    state.booking(seg).area = Area.NON_AIR


# --- check-in ----------------------------------------------------------------------------


def _started(meta: CheckInMeta) -> bool:
    ci = meta.check_in
    return bool(
        ci.boarding_number
        or ci.traveller_ref
        or ci.seat
        or ci.bag_pieces is not None
        or ci.bag_tags
        or meta.surname
    )


def check_in_group(state: PnrState, seg: Segment, bs: BookingState, *, fresh: bool) -> CheckInMeta:
    """The open check-in group, or a new one under the current leg when `fresh` says the
    segment starts a group (or none is open)."""
    meta = bs.check_in
    if meta is None or bs.area is not Area.CHECK_IN or fresh:
        if bs.area not in LEG_AREAS:
            state.warn(seg, "orphan_segment", f"check-in {seg.tag} outside a leg", found=seg.tag)
        leg = bs.leg if bs.area in LEG_AREAS else None
        check_in = CheckIn()
        if leg is not None:
            check_in.leg_ref = f"{leg.departure_airport or ''}-{leg.arrival_airport or ''}"
        bs.booking.check_ins.append(check_in)
        meta = CheckInMeta(check_in, leg, seg)
        bs.check_ins.append(meta)
        bs.check_in = meta
        bs.area = Area.CHECK_IN
    return meta


def check_in_dat(state: PnrState, seg: Segment, bs: BookingState) -> None:
    meta = check_in_group(state, seg, bs, fresh=bs.check_in is None or _started(bs.check_in))
    for qualifier, when in read_dates(state, seg):
        if when is not None and qualifier in ("2", ""):
            meta.check_in.checked_in_at = when


def check_in_org(state: PnrState, seg: Segment, bs: BookingState) -> None:
    """ORG in a check-in group names the DCS agent; it only opens the group."""
    check_in_group(state, seg, bs, fresh=bs.check_in is None or _started(bs.check_in))


def tri(state: PnrState, seg: Segment) -> None:
    """TRI: `++SIN-168:::2`, boarding (sequence) number and traveller reference."""
    bs = state.booking(seg)
    meta = bs.check_in
    started = meta is not None and bool(meta.check_in.boarding_number or meta.surname)
    meta = check_in_group(state, seg, bs, fresh=started)
    values = [mask_long_digits(v) for v in padded(seg.element(2) or seg.element(1), 4)]
    boarding, _, _, reference = values
    meta.check_in.boarding_number = boarding or None
    if reference:
        meta.check_in.traveller_ref = reference


def check_in_tif(state: PnrState, seg: Segment, bs: BookingState) -> None:
    """TIF in a check-in group: who checked in (a reference, else the name)."""
    named = bs.check_in is not None and bs.check_in.surname is not None
    meta = check_in_group(state, seg, bs, fresh=bs.check_in is None or named)
    raw_given, _, reference = padded(seg.element(2), 3)
    reference = mask_long_digits(reference)
    meta.surname = seg.get(1).strip().upper() or None
    meta.given = split_title(raw_given.upper())[0]
    if not reference:
        return
    if meta.check_in.traveller_ref is None:
        meta.check_in.traveller_ref = reference
    elif meta.check_in.traveller_ref != reference:
        state.warn(
            seg,
            "checkin_traveller_mismatch",
            "check-in TIF names another traveller than TRI; TRI kept",
            element=2,
            component=3,
            expected=meta.check_in.traveller_ref,
            found=reference,
        )


def ssd(state: PnrState, seg: Segment) -> None:
    """SSD: `011D++++J`, seat and cabin."""
    bs = state.booking(seg)
    meta = check_in_group(
        state, seg, bs, fresh=bs.check_in is not None and bs.check_in.check_in.seat is not None
    )
    meta.check_in.seat = seg.get(1).strip().upper() or None
    meta.check_in.cabin = seg.get(5).strip().upper() or None


def tbd(state: PnrState, seg: Segment) -> None:
    bs = state.booking(seg)
    read_bags(state, seg, check_in_group(state, seg, bs, fresh=False).check_in)


def read_bags(state: PnrState, seg: Segment, check_in: CheckIn) -> None:
    """TBD: `++pieces:weight:unit++HP:<boarding no>+<airline no>:<serial>:<count>:<dest>...`."""
    for position, components in composites(seg):
        values = padded(components, 4)
        if values[0].upper() in POOL_CODES:
            check_in.bag_pool_head = values[1] or None
        elif _is_tag_run(values):
            count = parse_count(values[2]) if values[2] else 1
            if count is None or count > 99:
                state.warn(
                    seg,
                    "implausible_value",
                    "bag tag count is not a small number; kept as sent",
                    element=position,
                    component=3,
                    expected="1 to 99",
                    found=values[2],
                )
            check_in.bag_tags.append(
                BagTagRun(values[0] or None, values[1], count or 1, values[3].upper() or None)
            )
        elif values[0] and check_in.bag_pieces is None:
            _bag_totals(state, seg, position, values, check_in)


def _is_tag_run(values: list[str]) -> bool:
    serial = values[1]
    return len(serial) >= 6 and serial.isascii() and serial.isdigit()


def _bag_totals(
    state: PnrState, seg: Segment, position: int, values: list[str], check_in: CheckIn
) -> None:
    pieces, weight = parse_count(values[0]), parse_amount(values[1]) if values[1] else None
    if pieces is None or (values[1] and weight is None):
        state.warn(
            seg,
            "bad_number",
            "bag pieces or weight is not a number",
            element=position,
            expected="pieces:weight:unit",
            found=":".join(values[:3]),
        )
    check_in.bag_pieces = pieces
    check_in.bag_weight = weight
    check_in.bag_weight_unit = values[2] or None


# --- history ------------------------------------------------------------------------------


def abi(state: PnrState, seg: Segment) -> None:
    """ABI opens a history group: `ABI+<qualifier>:<agent>+<office>...`."""
    bs = state.booking(seg)
    # History is masked like everything that may quote payment data.
    office = mask_long_digits(seg.get(2).strip() or seg.get(1, 1).strip())
    context = HistoryContext(
        office=office or None, agent=mask_long_digits(seg.get(1, 2).strip()) or None
    )
    context.entry = HistoryEntry(office=context.office, agent=context.agent)
    bs.booking.history.append(context.entry)
    bs.history = context
    bs.area = Area.HISTORY


def _context(bs: BookingState) -> HistoryContext:
    if bs.history is None:
        bs.history = HistoryContext()
    bs.area = Area.HISTORY
    return bs.history


def history_dat(state: PnrState, seg: Segment, bs: BookingState) -> None:
    context = _context(bs)
    when = next((w for _, w in read_dates(state, seg) if w is not None), None)
    context.at = when
    if context.entry is not None and context.entry.text is None:
        context.entry.at = when


def sac(state: PnrState, seg: Segment) -> None:
    """SAC: the action of the historical items that follow (A added, X cancelled ...)."""
    context = _context(state.booking(seg))
    action = next((v.strip().upper() for e in seg.elements for v in e if v.strip()), None)
    action = mask_long_digits(action) if action else None
    context.action = action
    if context.entry is not None and context.entry.text is None:
        context.entry.action = action


def lts(state: PnrState, seg: Segment) -> None:
    """LTS: one raw history line, kept as sent (card numbers masked)."""
    text = "+".join(":".join(element) for element in seg.elements)
    history_item(state, seg, text=text)


def history_item(state: PnrState, seg: Segment, *, text: str | None = None) -> None:
    """A historical segment (TIF, SSR, IFT, TBD, TVL ...) as a HistoryEntry with its ABI,
    DAT and SAC; it never changes the current booking."""
    bs = state.booking(seg)
    context = _context(bs)
    if text is None:
        text = seg.tag + " " + "+".join(":".join(element) for element in seg.elements)
    # Payment segments are masked harder: a thirteen-digit card must not survive either.
    text = mask_long_digits(text) if seg.tag == "FOP" else mask_cards(text)
    entry = context.entry
    if entry is not None and entry.text is None:
        entry.text = text
        entry.at, entry.action = entry.at or context.at, entry.action or context.action
        return
    context.entry = HistoryEntry(
        action=context.action,
        office=context.office,
        agent=context.agent,
        at=context.at,
        text=text,
    )
    bs.booking.history.append(context.entry)
