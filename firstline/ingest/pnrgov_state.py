"""What the PNRGOV mapper remembers while it walks the segments of one message.

The mapper is driven by trigger segments: each opens an *area* (a traveller after TIF, a
ticket after TKT, a leg after TVL, history after ABI ...) and the segments that follow are
read in the light of the open area. Facts that need the whole booking to be known (which
traveller an SSR DOCS belongs to, which flight is the pushed one) are parked here and
settled at the end of the booking or of the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum
from typing import Any

from firstline.ingest.edifact.envelope import make_warning
from firstline.ingest.edifact.lexer import Segment, Source
from firstline.ingest.options import ParseOptions
from firstline.ingest.pnrgov_values import mask_long_digits
from firstline.model.booking import (
    BookedLeg,
    Booking,
    CheckIn,
    HistoryEntry,
    Payment,
    PnrPush,
    PnrTraveller,
    Ticket,
)
from firstline.model.message import ParseWarning
from firstline.model.travel import FlightLeg

MAX_FOUND = 60  # warnings quote at most this much of a bad value
_DIGIT_RUN = re.compile(r"[0-9]{12}")


def scrub(warning: ParseWarning) -> ParseWarning:
    """`warning` with every long digit run masked, wherever it is quoted (even a garbled
    segment tag), so that a card number never travels into the model through a warning."""
    texts = (warning.message, warning.segment, warning.expected, warning.found)
    if not any(text and _DIGIT_RUN.search(text) for text in texts):
        return warning
    return replace(
        warning,
        message=mask_long_digits(warning.message),
        segment=mask_long_digits(warning.segment) if warning.segment else warning.segment,
        expected=mask_long_digits(warning.expected) if warning.expected else warning.expected,
        found=mask_long_digits(warning.found) if warning.found else warning.found,
    )


class Area(Enum):
    """The group a segment belongs to, opened by the last trigger segment."""

    HEADER = "header"  # before the first SRC: MSG, ORG, TVL, EQN
    BOOKING = "booking"  # SRC: RCI, SSR, DAT, IFT, ORG, ADD, EBD
    TRAVELLER = "traveller"  # TIF: FTI, IFT, REF, EBD, FAR, SSR, ADD
    TICKET = "ticket"  # TKT: MON, PTK, TXD, DAT
    PAYMENT = "payment"  # FOP: IFT, ADD (billing address)
    LEG = "leg"  # TVL: TRA, RPI, APD, SSR, RCI, IFT
    CHECK_IN = "check_in"  # DAT/ORG/TRI under a leg: TIF, SSD, TBD
    SPLIT = "split"  # EQN inside a booking: RCI of the PNRs it was split from
    HISTORY = "history"  # ABI/LTS: DAT, SAC and historical TIF, SSR, IFT, TBD, TVL ...
    NON_AIR = "non_air"  # MSG inside a booking: hotel, car ... skipped

    # Enum hashes by name in Python code; the mapper asks `area in LEG_AREAS` several times
    # a segment, so members hash by identity (they are singletons and compare by identity).
    __hash__ = object.__hash__


PERSON_AREAS = frozenset({Area.TRAVELLER, Area.TICKET, Area.PAYMENT})
LEG_AREAS = frozenset({Area.LEG, Area.CHECK_IN})


@dataclass(slots=True)
class TravellerMeta:
    """A TIF traveller with what the model does not keep but the mapper needs."""

    traveller: PnrTraveller
    segment: Segment
    raw_given: str | None
    with_infant: bool = False  # TIF "accompanied by infant" flag
    docs_given: str | None = None  # given name from the traveller's DOCS: evidence for titles


@dataclass(slots=True)
class PendingSsr:
    """A person SSR (DOCS, DOCA, DOCO, FOID, INFT) waiting for the booking's travellers."""

    segment: Segment
    code: str
    text: str
    explicit_ref: str | None
    context: TravellerMeta | None


@dataclass(slots=True)
class PendingContact:
    kind: str
    raw: str
    source: str
    traveller_ref: str | None
    region: str | None = None  # ISO alpha-2 from the address it came with


@dataclass(slots=True)
class CheckInMeta:
    """A check-in group and the leg it sat under, settled once the pushed flight is known."""

    check_in: CheckIn
    leg: BookedLeg | None
    segment: Segment
    surname: str | None = None  # from the group's TIF, when it has no reference
    given: str | None = None
    traveller: TravellerMeta | None = None  # settled at the end of the booking


@dataclass(slots=True)
class SeatRequest:
    """SSR SEAT: a seat asked for, applied to the traveller when its leg is the pushed one."""

    traveller_ref: str | None
    seat: str
    leg: BookedLeg | None
    board: str | None = None  # board point in the SSR, when it sits outside a leg


@dataclass(slots=True)
class HistoryContext:
    """The ABI/DAT/SAC in force for the historical segments that follow."""

    office: str | None = None
    agent: str | None = None
    at: datetime | None = None
    action: str | None = None
    entry: HistoryEntry | None = None


@dataclass(slots=True)
class BookingState:
    booking: Booking
    src: Segment
    area: Area = Area.BOOKING
    travellers: list[TravellerMeta] = field(default_factory=list)
    ssrs: list[PendingSsr] = field(default_factory=list)
    contacts: list[PendingContact] = field(default_factory=list)
    check_ins: list[CheckInMeta] = field(default_factory=list)
    seats: list[SeatRequest] = field(default_factory=list)
    traveller: TravellerMeta | None = None
    ticket: Ticket | None = None
    payment: Payment | None = None
    leg: BookedLeg | None = None
    check_in: CheckInMeta | None = None
    history: HistoryContext | None = None

    @property
    def person(self) -> TravellerMeta | None:
        """The traveller whose group is open, if any."""
        return self.traveller if self.area in PERSON_AREAS else None

    @property
    def person_ref(self) -> str | None:
        person = self.person
        return person.traveller.reference if person else None


@dataclass(slots=True)
class PnrState:
    source: Source
    options: ParseOptions
    push: PnrPush
    header_leg: FlightLeg | None = None
    header_tvl: Segment | None = None
    header_eqn: Segment | None = None
    seen_msg: bool = False
    seen_org: bool = False
    bookings: list[BookingState] = field(default_factory=list)
    current: BookingState | None = None

    @property
    def area(self) -> Area:
        return self.current.area if self.current else Area.HEADER

    def open_booking(self, seg: Segment) -> BookingState:
        """A new booking from SRC (or from the first booking segment when SRC is missing)."""
        booking = Booking(segment_index=seg.index)
        self.push.bookings.append(booking)
        state = BookingState(booking, seg)
        self.bookings.append(state)
        self.current = state
        return state

    def booking(self, seg: Segment) -> BookingState:
        """The open booking; a booking segment before any SRC opens one, with a warning."""
        if self.current is not None:
            return self.current
        self.warn(
            seg,
            "missing_src",
            f"{seg.tag} before any SRC; read as the start of a booking",
            expected="SRC",
            found=seg.tag,
        )
        return self.open_booking(seg)

    def warn(self, seg: Segment | None, code: str, message: str, **kw: Any) -> None:
        """A warning at `seg`, scrubbed (see `scrub`)."""
        found = kw.get("found")
        if found is not None:
            kw["found"] = str(found)[:MAX_FOUND]
        self.push.warnings.append(scrub(make_warning(self.source, seg, code, message, **kw)))

    def reference_date(self, booking: Booking) -> date:
        """The travel date against which two-digit years in SSR text are read."""
        for leg in booking.itinerary:
            if leg.departure is not None:
                return leg.departure.date()
        header = self.header_leg.scheduled_departure if self.header_leg else None
        return header.date() if header else self.options.today
