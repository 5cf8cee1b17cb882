"""Synthetic passenger and crew lists of travellers drawn once."""

from __future__ import annotations

import random
from datetime import date

from firstline.generate.paxlst import ListOptions, make_paxlst, paxlst_interchange
from firstline.generate.people import bench_flight, draw_booking, draw_crew
from firstline.ingest.multipart import reassemble
from firstline.ingest.reader import read_message
from firstline.model.travel import TravellerRole


def test_crew_list_reads_as_crew() -> None:
    rng = random.Random(2)
    flight = bench_flight(rng, 2)
    crew = draw_crew(rng, flight, 7)
    data = paxlst_interchange(flight, [(c, None) for c in crew], ListOptions(crew=True), "c")
    (message,) = read_message(data, today=date(2025, 6, 1)).messages
    assert message.warnings == []
    assert [t.role for t in message.travellers] == [TravellerRole.CREW] * 7
    assert message.declared_crew == 7


def test_passengers_carry_their_booking_and_documents() -> None:
    rng = random.Random(3)
    flight = bench_flight(rng, 3)
    bookings = [draw_booking(rng, flight, key=str(n)) for n in range(30)]
    entries = [(t, b.locator) for b in bookings for t in b.travellers]
    data = paxlst_interchange(flight, entries, ListOptions(parts_of=20), "p")
    (merged,) = reassemble(read_message(data, today=date(2025, 6, 1)).messages)
    assert merged.warnings == [] and len(merged.travellers) == len(entries)
    for (drawn, locator), read in zip(entries, merged.travellers, strict=True):
        assert (read.surname, read.date_of_birth) == (drawn.surname, drawn.born)
        assert read.documents[0].number == drawn.documents[0].number
        assert read.booking_reference == locator


def test_make_paxlst_is_deterministic() -> None:
    assert make_paxlst(20, 9, parts_of=8) == make_paxlst(20, 9, parts_of=8)
