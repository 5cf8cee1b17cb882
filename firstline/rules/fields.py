"""The field catalogue: every fact a risk rule can test, named, typed and explained.

Rules name fields by these dotted names; the rule validator checks every condition against
this catalogue, and the facts builder fills exactly these keys for each traveller. A value is
None when the data does not say (no booking yet, no document before check-in): no operator but
"is empty" is true on None, so a rule never fires on missing data by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FieldType(StrEnum):
    TEXT = "text"  # free text, compared case-insensitively
    CODE = "code"  # a code from a list (airport, country, carrier): compared upper-case
    NUMBER = "number"
    DATE = "date"
    BOOLEAN = "boolean"
    CODES = "codes"  # several codes (airports of a route, forms of payment)


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: FieldType
    label: str
    description: str
    example: str = ""

    @property
    def group(self) -> str:
        return self.name.split(".", 1)[0]


def _f(name: str, type_: FieldType, label: str, description: str, example: str = "") -> Field:
    return Field(name, type_, label, description, example)


T, C, N, D, B, L = (
    FieldType.TEXT,
    FieldType.CODE,
    FieldType.NUMBER,
    FieldType.DATE,
    FieldType.BOOLEAN,
    FieldType.CODES,
)

FIELDS: tuple[Field, ...] = (
    # -- traveller -------------------------------------------------------------------------
    _f("traveller.surname", T, "Surname", "Family name as the airline sent it.", "GARCIA"),
    _f("traveller.given_names", T, "Given names", "Given names as sent.", "MARIA JOSE"),
    _f("traveller.gender", C, "Gender", "M, F or U (unknown) as sent.", "F"),
    _f("traveller.age", N, "Age at travel", "Whole years on the departure date.", "34"),
    _f("traveller.minor", B, "Minor", "Under 18 on the departure date.", "true"),
    _f("traveller.nationality", C, "Nationality", "ISO 3166 alpha-3.", "COL"),
    _f("traveller.residence", C, "Country of residence", "ISO 3166 alpha-3.", "ESP"),
    _f("traveller.role", C, "Role", "passenger, crew, in_transit ...", "passenger"),
    _f("traveller.sources", L, "Sources", "Which messages know the traveller: API, PNR.", "API"),
    # -- document --------------------------------------------------------------------------
    _f("document.type", C, "Document type", "P passport, I identity card, ...", "P"),
    _f("document.number", T, "Document number", "As sent (never logged).", "X1234567"),
    _f("document.issuing_country", C, "Issuing country", "ISO 3166 alpha-3.", "VEN"),
    _f(
        "document.expires_in_days",
        N,
        "Days from departure to expiry",
        "Negative when the document has expired before departure.",
        "12",
    ),
    _f(
        "document.issued_days_ago",
        N,
        "Days since issue",
        "Days between the issue date and departure (a document issued days before travel).",
        "9",
    ),
    # -- flight ----------------------------------------------------------------------------
    _f("flight.carrier", C, "Carrier", "IATA airline code.", "LH"),
    _f("flight.number", T, "Flight number", "Without the carrier.", "1234"),
    _f("flight.origin", C, "Origin airport", "IATA code of the first airport.", "BOG"),
    _f("flight.destination", C, "Destination airport", "IATA code of the last airport.", "FRA"),
    _f("flight.origin_country", C, "Origin country", "ISO 3166 alpha-3.", "COL"),
    _f("flight.destination_country", C, "Destination country", "ISO 3166 alpha-3.", "DEU"),
    _f("flight.departure_date", D, "Departure date", "Local date.", "2026-11-23"),
    _f("flight.departure_hour", N, "Departure hour", "0-23, local time.", "23"),
    # -- itinerary (the traveller's whole booked journey) --------------------------------------
    _f(
        "itinerary.airports",
        L,
        "Airports of the journey",
        "Every airport of the booked legs.",
        "BOG FRA IST",
    ),  # fmt: skip
    _f(
        "itinerary.countries",
        L,
        "Countries of the journey",
        "Every country of the booked legs.",
        "COL DEU TUR",
    ),  # fmt: skip
    _f(
        "itinerary.transit_airports",
        L,
        "Transit airports",
        "Airports where the journey changes flight within 24 hours.",
        "FRA",
    ),
    _f("itinerary.legs", N, "Legs", "Number of booked flight legs.", "2"),
    _f(
        "itinerary.one_way", B, "One-way", "No leg returns to the first airport's country.", "true"
    ),  # fmt: skip
    _f(
        "itinerary.transit",
        B,
        "In transit",
        "The traveller changes flight at this airport.",
        "true",
    ),  # fmt: skip
    _f(
        "itinerary.broken_travel",
        B,
        "Broken travel",
        "The journey arrives at one place and leaves from another, with no booked travel in "
        "between (a gap the traveller covers some other way).",
        "true",
    ),
    _f(
        "itinerary.stay_days",
        N,
        "Length of stay",
        "Days between arrival at the destination and the booked return; empty when one-way.",
        "3",
    ),
    # -- booking ---------------------------------------------------------------------------
    _f(
        "booking.days_before_departure",
        N,
        "Booked days before departure",
        "Days between booking creation and departure (0 = same day).",
        "1",
    ),
    _f(
        "booking.hours_before_departure",
        N,
        "Booked hours before departure",
        "Hours between booking creation and departure.",
        "6",
    ),
    _f("booking.party_size", N, "Travellers in the booking", "People on the same PNR.", "4"),
    _f("booking.adults", N, "Adults in the booking", "Travellers 18 or over.", "1"),
    _f("booking.minors", N, "Minors in the booking", "Travellers under 18.", "3"),
    _f(
        "booking.unrelated_minors",
        N,
        "Unrelated minors",
        "Minors whose surname is shared by no adult of the booking.",
        "2",
    ),
    _f(
        "booking.agency",
        B,
        "Booked by an agency",
        "Made by a travel agent (not the airline).",
        "true",
    ),  # fmt: skip
    _f(
        "booking.agency_id",
        T,
        "Agency",
        "IATA number or office id of the booking agency.",
        "12345675",
    ),  # fmt: skip
    _f("booking.group", B, "Group booking", "A group or tour booking.", "true"),
    _f(
        "booking.changes",
        N,
        "Booking changes",
        "How many times the booking changed between pushes.",
        "2",
    ),
    # -- payment ---------------------------------------------------------------------------
    _f(
        "payment.forms", L, "Forms of payment", "CC card, CA cash, IN invoice, MS other ...", "CA"
    ),  # fmt: skip
    _f("payment.cash", B, "Paid in cash", "At least one cash payment.", "true"),
    _f(
        "payment.third_party",
        B,
        "Paid by a third party",
        "The card holder is none of the booking's travellers.",
        "true",
    ),
    _f("payment.amount", N, "Amount paid", "Sum of the booking's payments.", "1250"),
    # -- contacts, seat, bags, frequent flyer -------------------------------------------------
    _f("contact.phones", N, "Phones", "Phone numbers on the booking.", "1"),
    _f("contact.emails", N, "E-mails", "E-mail addresses on the booking.", "0"),
    _f(
        "contact.email_domains",
        L,
        "E-mail domains",
        "Domains of the booking's e-mails.",
        "EXAMPLE.NET",
    ),  # fmt: skip
    _f("seat.number", T, "Seat", "Seat number.", "23A"),
    _f("bags.count", N, "Checked bags", "Number of checked bags.", "0"),
    _f("bags.weight_kg", N, "Bag weight", "Total checked weight in kg.", "32"),
    _f(
        "bags.none_on_long_stay",
        B,
        "No bags on a long stay",
        "No checked bag although the stay is a week or more.",
        "true",
    ),
    _f(
        "frequent_flyer.member", B, "Frequent flyer", "A frequent-flyer number is given.", "true"
    ),  # fmt: skip
    # -- links (the link graph) ----------------------------------------------------------
    _f(
        "links.shared_identifiers",
        N,
        "Travellers sharing an identifier",
        "Other travellers, on any flight and outside this booking, who used one of this "
        "traveller's phones, e-mails, cards or documents (identifiers shared by very many "
        "travellers, such as an agency's phone, are not counted).",
        "2",
    ),
    _f(
        "links.shares_with_hit",
        B,
        "Shares an identifier with a traveller who has a hit",
        "One of those travellers has a current hit (not a false positive).",
        "true",
    ),
    _f(
        "links.shares_with_confirmed_hit",
        B,
        "Shares an identifier with a confirmed hit",
        "One of those travellers has a hit an officer confirmed.",
        "true",
    ),
    _f(
        "links.near_watchlist_match",
        B,
        "Within two steps of a watchlist match",
        "Someone else reached in one or two steps (a shared booking or a shared phone, "
        "e-mail, card or document, then another) has a current watchlist or link hit.",
        "true",
    ),
    # -- history ---------------------------------------------------------------------------
    _f(
        "history.previous_trips",
        N,
        "Previous trips",
        "Earlier flights in the store of the same person (same document, or name and birth date).",
        "5",
    ),
    _f(
        "history.previous_hits",
        N,
        "Previous hits",
        "Hits on the same person on earlier flights.",
        "1",
    ),
)

CATALOGUE: dict[str, Field] = {f.name: f for f in FIELDS}


def field(name: str) -> Field | None:
    return CATALOGUE.get(name)
