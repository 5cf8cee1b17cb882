"""Bookings (PNR) as pushed by carriers in PNRGOV EDIFACT or XML.

One push carries the bookings holding a seat on one flight. A booking keeps everything the
carrier sent about it, each traveller on it exists from TIF (or `Passenger` in XML) alone,
with or without an SSR DOCS. Card numbers never reach this model in clear: parsers turn them
into a vendor, the last four digits and a keyed fingerprint (see `values.card_fingerprint`).
Dates and times are local at the airport, as sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from firstline.model.message import MessageHeader, ParseWarning
from firstline.model.travel import Address, Flight, TravelDocument


@dataclass(slots=True)
class RecordLocator:
    """RCI: a booking reference in one reservation system (the carrier's, a CRS's, another)."""

    system: str | None  # airline or CRS code, e.g. "1A", "SQ"
    locator: str
    kind: str | None = None  # e.g. "O" other system, codeshare
    created_at: datetime | None = None


@dataclass(slots=True)
class Agency:
    """ORG inside a booking: who made or sold it (EU Annex I element 9)."""

    system: str | None = None  # airline or CRS of the booking office
    location: str | None = None  # city or airport code
    agency_number: str | None = None  # IATA agency number
    office_id: str | None = None  # pseudo-city / office id
    company: str | None = None
    originator_type: str | None = None  # A airline, T travel agent, ...
    country: str | None = None
    currency: str | None = None
    agent_sign: str | None = None
    duty_code: str | None = None


@dataclass(slots=True)
class Contact:
    """A phone or e-mail given for a booking or a traveller.

    `value` is normalised (E.164 for phones where the number could be read, lower-case
    e-mails with the `//` and `..` airline escapes decoded); `raw` is what was sent.
    """

    kind: str  # "phone", "email", "fax", "other"
    value: str
    raw: str
    source: str  # e.g. "IFT", "SSR CTCM", "ADD", "XML ContactInfo"
    traveller_ref: str | None = None
    normalised: bool = True  # False when a phone could not be put in E.164


@dataclass(slots=True)
class Payment:
    """FOP: a form of payment. Card numbers are reduced to last four and a keyed fingerprint."""

    type: str | None  # code as sent: CC card, CA cash, MS miscellaneous, IN invoice ...
    card_vendor: str | None = None  # VI, CA, AX ...
    card_last_four: str | None = None
    card_fingerprint: str | None = None  # HMAC-SHA256 of the digits, keyed per installation
    card_expiry: str | None = None  # MMYY as sent
    card_holder: str | None = None
    amount: float | None = None
    currency: str | None = None
    billing_address: Address | None = None
    traveller_ref: str | None = None


@dataclass(slots=True)
class Tax:
    code: str | None
    amount: float | None
    currency: str | None = None


@dataclass(slots=True)
class Ticket:
    """TKT/MON/PTK/TXD: a ticket or EMD with its amounts."""

    number: str
    type: str | None = None  # T ticket, Y EMD ...
    coupons: str | None = None
    issued_on: date | None = None
    issue_place: str | None = None
    base_amount: float | None = None
    total_amount: float | None = None
    currency: str | None = None
    taxes: list[Tax] = field(default_factory=list)
    traveller_ref: str | None = None


@dataclass(slots=True)
class BookedLeg:
    """Itinerary TVL (+ RPI, APD): one flight of the booking, marketing and operating."""

    departure_airport: str | None
    arrival_airport: str | None
    departure: datetime | None = None
    arrival: datetime | None = None
    marketing_carrier: str | None = None
    marketing_number: str | None = None
    operating_carrier: str | None = None  # set when another carrier operates (code-share)
    operating_number: str | None = None
    booking_class: str | None = None
    status: str | None = None  # RPI status: HK confirmed, ...
    party_size: int | None = None
    equipment: str | None = None
    is_pushed_flight: bool = False  # the leg of the flight this push is about


@dataclass(slots=True)
class SpecialRequest:
    """An SSR (or XML SSR) kept as data: code, status and free text, tied to whom it concerns."""

    code: str
    status: str | None = None
    quantity: str | None = None
    carrier: str | None = None
    text: str | None = None
    traveller_ref: str | None = None
    leg_ref: str | None = None


@dataclass(slots=True)
class CheckIn:
    """DCS data for a checked-in traveller on the pushed flight (TRI, SSD, TBD)."""

    traveller_ref: str | None = None
    boarding_number: str | None = None  # e.g. "SIN-168"
    seat: str | None = None
    cabin: str | None = None
    bag_pieces: int | None = None
    bag_weight: float | None = None
    bag_weight_unit: str | None = None  # 700 kg, 701 lb (UN/ECE 6411 as sent)
    bag_pool_head: str | None = None
    bag_tags: list[BagTagRun] = field(default_factory=list)
    checked_in_at: datetime | None = None  # DAT+2 of the check-in group
    leg_ref: str | None = None  # "SIN-ICN": the leg it was sent under (normally the pushed one)


@dataclass(slots=True)
class BagTagRun:
    """TBD tag run: carrier numeric code, first serial, count of consecutive tags, destination."""

    carrier_code: str | None
    first_serial: str
    count: int = 1
    destination: str | None = None


@dataclass(slots=True)
class FrequentFlyer:
    airline: str | None
    number: str
    tier: str | None = None
    traveller_ref: str | None = None


@dataclass(slots=True)
class HistoryEntry:
    """ABI/SAC/LTS: who changed what and when, kept as sent (EU Annex I element 19)."""

    action: str | None = None  # SAC action code: A added, X cancelled, C changed ...
    office: str | None = None
    agent: str | None = None
    at: datetime | None = None
    text: str | None = None  # LTS raw history line or the historical segment summarised


@dataclass(slots=True)
class PnrTraveller:
    """TIF: a person on the booking. Titles run into given names are split off."""

    surname: str | None
    given_names: str | None = None
    title: str | None = None
    passenger_type: str | None = None  # A adult, C child, IN infant, ...
    reference: str | None = None  # traveller reference number inside the booking
    infant_of: str | None = None  # reference of the adult carrying this infant
    unique_reference: str | None = None  # REF: unique passenger reference (matches RFF+ABO)
    date_of_birth: date | None = None
    gender: str | None = None  # M, F, MI, FI, U
    nationality: str | None = None
    country_of_residence: str | None = None
    documents: list[TravelDocument] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)  # DOCA
    frequent_flyers: list[FrequentFlyer] = field(default_factory=list)
    seat: str | None = None  # on the pushed flight
    checked_in: bool = False
    boarding_status: str | None = None  # as sent, e.g. XML Passenger@BoardingStatus
    fare_basis: str | None = None


@dataclass(slots=True)
class Booking:
    """One PNR: from SRC to the next SRC in EDIFACT, or a `PNR` element in XML."""

    locators: list[RecordLocator] = field(default_factory=list)
    created_at: datetime | None = None
    last_modified: datetime | None = None  # DAT 700
    ticketed_at: datetime | None = None  # DAT 710
    agency: Agency | None = None
    travellers: list[PnrTraveller] = field(default_factory=list)
    itinerary: list[BookedLeg] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    special_requests: list[SpecialRequest] = field(default_factory=list)
    check_ins: list[CheckIn] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)  # IFT/OSI free text
    history: list[HistoryEntry] = field(default_factory=list)
    split_from: list[RecordLocator] = field(default_factory=list)  # split / divided PNRs
    number_in_party: int | None = None
    sensitive_removed: int = 0  # items dropped by the sensitive-data filter
    segment_index: int | None = None  # where its SRC (or PNR element) starts

    @property
    def record_locator(self) -> str | None:
        """The primary locator: the first RCI the carrier sent."""
        return self.locators[0].locator if self.locators else None

    def key(self) -> str:
        """Identity across pushes: system, locator and creation date (locators get reused)."""
        first = self.locators[0] if self.locators else None
        created = first.created_at.date().isoformat() if first and first.created_at else ""
        return f"{first.system or '' if first else ''}|{self.record_locator or ''}|{created}"


@dataclass(slots=True)
class PnrPush:
    """One PNRGOV message (EDIFACT or XML): the header flight and its bookings."""

    header: MessageHeader
    format: str = "edifact"  # or "xml"
    sender: str | None = None  # ORG at message level
    flight: Flight | None = None  # header TVL (or XML FlightLeg)
    declared_bookings: int | None = None  # EQN
    bookings: list[Booking] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def sensitive_removed(self) -> int:
        return sum(b.sensitive_removed for b in self.bookings)
