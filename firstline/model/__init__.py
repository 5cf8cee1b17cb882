"""Pure domain types: no I/O, no database, no web."""

from firstline.model.message import MessageHeader, ParseWarning
from firstline.model.travel import (
    Address,
    BagTagRange,
    Contact,
    Flight,
    FlightLeg,
    PassengerList,
    ReportingParty,
    TravelDocument,
    Traveller,
    TravellerRole,
)

__all__ = [
    "Address",
    "BagTagRange",
    "Contact",
    "Flight",
    "FlightLeg",
    "MessageHeader",
    "ParseWarning",
    "PassengerList",
    "ReportingParty",
    "TravelDocument",
    "Traveller",
    "TravellerRole",
]
