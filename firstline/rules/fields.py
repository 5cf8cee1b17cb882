"""The field catalogue: every fact a risk rule can test, named, typed and explained.

Rules name fields by these dotted names; the rule validator checks every condition against
this catalogue, and the facts builder fills exactly these keys for each traveller. A value is
None when the data does not say (no booking yet, no document before check-in): no operator but
"is empty" is true on None, so a rule never fires on missing data by accident.

Labels and descriptions are English, marked with `N_` so that `make i18n` extracts them; the
rule editor shows them in the page's language (firstline/web/labels.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from firstline.texts import N_


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
    _f("traveller.surname", T, N_("Surname"), N_("Family name as the airline sent it."), "GARCIA"),
    _f("traveller.given_names", T, N_("Given names"), N_("Given names as sent."), "MARIA JOSE"),
    _f("traveller.gender", C, N_("Gender"), N_("M, F or U (unknown) as sent."), "F"),
    _f("traveller.age", N, N_("Age at travel"), N_("Whole years on the departure date."), "34"),
    _f("traveller.minor", B, N_("Minor"), N_("Under 18 on the departure date."), "true"),
    _f("traveller.nationality", C, N_("Nationality"), N_("ISO 3166 alpha-3."), "COL"),
    _f("traveller.residence", C, N_("Country of residence"), N_("ISO 3166 alpha-3."), "ESP"),
    _f("traveller.role", C, N_("Role"), N_("passenger, crew, in_transit ..."), "passenger"),
    _f(
        "traveller.sources",
        L,
        N_("Sources"),
        N_("Which messages know the traveller: API, PNR."),
        "API",
    ),
    # -- document --------------------------------------------------------------------------
    _f("document.type", C, N_("Document type"), N_("P passport, I identity card, ..."), "P"),
    _f("document.number", T, N_("Document number"), N_("As sent (never logged)."), "X1234567"),
    _f("document.issuing_country", C, N_("Issuing country"), N_("ISO 3166 alpha-3."), "VEN"),
    _f(
        "document.expires_in_days",
        N,
        N_("Days from departure to expiry"),
        N_("Negative when the document has expired before departure."),
        "12",
    ),
    _f(
        "document.issued_days_ago",
        N,
        N_("Days since issue"),
        N_("Days between the issue date and departure (a document issued days before travel)."),
        "9",
    ),
    # -- flight ----------------------------------------------------------------------------
    _f("flight.carrier", C, N_("Carrier"), N_("IATA airline code."), "LH"),
    _f("flight.number", T, N_("Flight number"), N_("Without the carrier."), "1234"),
    _f("flight.origin", C, N_("Origin airport"), N_("IATA code of the first airport."), "BOG"),
    _f(
        "flight.destination",
        C,
        N_("Destination airport"),
        N_("IATA code of the last airport."),
        "FRA",
    ),
    _f("flight.origin_country", C, N_("Origin country"), N_("ISO 3166 alpha-3."), "COL"),
    _f("flight.destination_country", C, N_("Destination country"), N_("ISO 3166 alpha-3."), "DEU"),
    _f("flight.departure_date", D, N_("Departure date"), N_("Local date."), "2026-11-23"),
    _f("flight.departure_hour", N, N_("Departure hour"), N_("0-23, local time."), "23"),
    # -- itinerary (the traveller's whole booked journey) --------------------------------------
    _f(
        "itinerary.airports",
        L,
        N_("Airports of the journey"),
        N_("Every airport of the booked legs."),
        "BOG FRA IST",
    ),  # fmt: skip
    _f(
        "itinerary.countries",
        L,
        N_("Countries of the journey"),
        N_("Every country of the booked legs."),
        "COL DEU TUR",
    ),  # fmt: skip
    _f(
        "itinerary.transit_airports",
        L,
        N_("Transit airports"),
        N_("Airports where the journey changes flight within 24 hours."),
        "FRA",
    ),
    _f("itinerary.legs", N, N_("Legs"), N_("Number of booked flight legs."), "2"),
    _f(
        "itinerary.one_way",
        B,
        N_("One-way"),
        N_("No leg returns to the first airport's country."),
        "true",
    ),  # fmt: skip
    _f(
        "itinerary.transit",
        B,
        N_("In transit"),
        N_("The traveller changes flight at this airport."),
        "true",
    ),  # fmt: skip
    _f(
        "itinerary.broken_travel",
        B,
        N_("Broken travel"),
        N_(
            "The journey arrives at one place and leaves from another, with no booked travel in "
            "between (a gap the traveller covers some other way)."
        ),
        "true",
    ),
    _f(
        "itinerary.stay_days",
        N,
        N_("Length of stay"),
        N_("Days between arrival at the destination and the booked return; empty when one-way."),
        "3",
    ),
    # -- booking ---------------------------------------------------------------------------
    _f(
        "booking.days_before_departure",
        N,
        N_("Booked days before departure"),
        N_("Days between booking creation and departure (0 = same day)."),
        "1",
    ),
    _f(
        "booking.hours_before_departure",
        N,
        N_("Booked hours before departure"),
        N_("Hours between booking creation and departure."),
        "6",
    ),
    _f(
        "booking.party_size", N, N_("Travellers in the booking"), N_("People on the same PNR."), "4"
    ),
    _f("booking.adults", N, N_("Adults in the booking"), N_("Travellers 18 or over."), "1"),
    _f("booking.minors", N, N_("Minors in the booking"), N_("Travellers under 18."), "3"),
    _f(
        "booking.unrelated_minors",
        N,
        N_("Unrelated minors"),
        N_("Minors whose surname is shared by no adult of the booking."),
        "2",
    ),
    _f(
        "booking.agency",
        B,
        N_("Booked by an agency"),
        N_("Made by a travel agent (not the airline)."),
        "true",
    ),  # fmt: skip
    _f(
        "booking.agency_id",
        T,
        N_("Agency"),
        N_("IATA number or office id of the booking agency."),
        "12345675",
    ),  # fmt: skip
    _f("booking.group", B, N_("Group booking"), N_("A group or tour booking."), "true"),
    _f(
        "booking.changes",
        N,
        N_("Booking changes"),
        N_("How many times the booking changed between pushes."),
        "2",
    ),
    # -- payment ---------------------------------------------------------------------------
    _f(
        "payment.forms",
        L,
        N_("Forms of payment"),
        N_("CC card, CA cash, IN invoice, MS other ..."),
        "CA",
    ),  # fmt: skip
    _f("payment.cash", B, N_("Paid in cash"), N_("At least one cash payment."), "true"),
    _f(
        "payment.third_party",
        B,
        N_("Paid by a third party"),
        N_("The card holder is none of the booking's travellers."),
        "true",
    ),
    _f("payment.amount", N, N_("Amount paid"), N_("Sum of the booking's payments."), "1250"),
    # -- contacts, seat, bags, frequent flyer -------------------------------------------------
    _f("contact.phones", N, N_("Phones"), N_("Phone numbers on the booking."), "1"),
    _f("contact.emails", N, N_("E-mails"), N_("E-mail addresses on the booking."), "0"),
    _f(
        "contact.email_domains",
        L,
        N_("E-mail domains"),
        N_("Domains of the booking's e-mails."),
        "EXAMPLE.NET",
    ),  # fmt: skip
    _f("seat.number", T, N_("Seat"), N_("Seat number."), "23A"),
    _f("bags.count", N, N_("Checked bags"), N_("Number of checked bags."), "0"),
    _f("bags.weight_kg", N, N_("Bag weight"), N_("Total checked weight in kg."), "32"),
    _f(
        "bags.none_on_long_stay",
        B,
        N_("No bags on a long stay"),
        N_("No checked bag although the stay is a week or more."),
        "true",
    ),
    _f(
        "frequent_flyer.member",
        B,
        N_("Frequent flyer"),
        N_("A frequent-flyer number is given."),
        "true",
    ),  # fmt: skip
    # -- links (the link graph) ----------------------------------------------------------
    _f(
        "links.shared_identifiers",
        N,
        N_("Travellers sharing an identifier"),
        N_(
            "Other travellers, on any flight and outside this booking, who used one of this "
            "traveller's phones, e-mails, cards or documents (identifiers shared by very many "
            "travellers, such as an agency's phone, are not counted)."
        ),
        "2",
    ),
    _f(
        "links.shares_with_hit",
        B,
        N_("Shares an identifier with a traveller who has a hit"),
        N_("One of those travellers has a current hit (not a false positive)."),
        "true",
    ),
    _f(
        "links.shares_with_confirmed_hit",
        B,
        N_("Shares an identifier with a confirmed hit"),
        N_("One of those travellers has a hit an officer confirmed."),
        "true",
    ),
    _f(
        "links.near_watchlist_match",
        B,
        N_("Within two steps of a watchlist match"),
        N_(
            "Someone else reached in one or two steps (a shared booking or a shared phone, "
            "e-mail, card or document, then another) has a current watchlist or link hit."
        ),
        "true",
    ),
    # -- history ---------------------------------------------------------------------------
    _f(
        "history.previous_trips",
        N,
        N_("Previous trips"),
        N_(
            "Earlier flights in the store of the same person (same document, or name and "
            "birth date)."
        ),
        "5",
    ),
    _f(
        "history.previous_hits",
        N,
        N_("Previous hits"),
        N_("Hits on the same person on earlier flights."),
        "1",
    ),
)

CATALOGUE: dict[str, Field] = {f.name: f for f in FIELDS}


def field(name: str) -> Field | None:
    return CATALOGUE.get(name)
