"""Synthetic XML pushes read like the airlines' and carry the same people as EDIFACT."""

from __future__ import annotations

import random
from datetime import date

from firstline.generate.people import bench_flight, draw_booking
from firstline.generate.pnrgov_xml import notif_rq
from firstline.ingest.reader import read_message


def test_xml_push_reads_cleanly_with_documents_and_infants() -> None:
    rng = random.Random(4)
    flight = bench_flight(rng, 4)
    bookings = [draw_booking(rng, flight, key=f"x:{n}") for n in range(40)]
    result = read_message(notif_rq(flight, bookings, sent=flight.departure, reference="1"))
    (push,) = result.pushes
    assert result.warnings == [] and push.warnings == []
    assert [b.record_locator for b in push.bookings] == [b.locator for b in bookings]
    read = {t.documents[0].number: t for b in push.bookings for t in b.travellers}
    drawn = [t for b in bookings for t in b.travellers]
    assert len(read) == len(drawn)
    for person in drawn:
        found = read[person.documents[0].number]
        assert (found.surname, found.given_names) == (person.surname, person.given)
        assert found.date_of_birth == person.born
    assert any(t.infant_of for t in read.values())
    assert date(2025, 1, 1) <= flight.departure.date()
