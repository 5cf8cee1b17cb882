"""Connections, groups, invoice payments and the close-out PNR push of a generated day."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from firstline.generate import NO_DEVIATIONS, DayPlan, write_day
from firstline.generate.connections import (
    MAX_CONNECTION,
    MIN_CONNECTION,
    draw_connection,
    plan_connections,
)
from firstline.generate.day import plan_flights
from firstline.ingest.multipart import reassemble
from firstline.ingest.reader import read_message
from firstline.services.ingest import ingest_paths
from firstline.store import open_store

DAY = date(2030, 5, 1)
PLAN = DayPlan(
    day=DAY,
    airports=("FRA", "MUC"),
    flights=24,
    seed=4,
    passengers=(20, 60),
    scenarios=False,
    deviations=NO_DEVIATIONS,
)


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("connected")
    summary = write_day(PLAN, folder)
    assert summary.connections > 0 and summary.groups > 0
    return folder


def _pushes(folder: Path, designator: str) -> list[tuple[Path, Any]]:
    """The PNR pushes of a flight in push order, read."""
    paths = sorted(folder.glob(f"*_{designator}_*_pnr.*"))
    return [(p, read_message(p.read_bytes(), today=DAY).pushes[0]) for p in paths]


def _passengers(folder: Path, designator: str) -> list[Any]:
    (path,) = folder.glob(f"*_{designator}_*_api.edi")
    (message,) = reassemble(read_message(path.read_bytes(), today=DAY).messages)
    return list(message.travellers)


def _flights() -> list[Any]:
    return [flight for flight, _ in plan_flights(PLAN)]


def test_connections_pair_flights_at_a_hub_with_a_plausible_layover() -> None:
    flights = _flights()
    planned = plan_connections(PLAN.seed, PLAN.day, PLAN.airports, flights)
    assert planned == plan_connections(PLAN.seed, PLAN.day, PLAN.airports, flights)
    links = {link for listed in planned.values() for link in listed}
    assert links
    for link in links:
        inbound, onward = flights[link.inbound], flights[link.onward]
        assert inbound.destination == onward.origin and onward.origin in PLAN.airports
        assert MIN_CONNECTION <= onward.departure - inbound.arrival <= MAX_CONNECTION
        assert onward.destination != inbound.origin
        assert link in planned[link.inbound] and link in planned[link.onward]
        # Drawn for either flight: the same booking and people, a seat on each flight.
        first = draw_connection(link, flights, link.inbound)
        second = draw_connection(link, flights, link.onward)
        assert (first.locator, first.created, first.legs) == (
            second.locator,
            second.created,
            second.legs,
        )
        assert [(t.surname, t.given, t.born, t.upi) for t in first.travellers] == [
            (t.surname, t.given, t.born, t.upi) for t in second.travellers
        ]


def test_connecting_bookings_are_in_both_flights_pushes_and_lists(day: Path) -> None:
    flights = _flights()
    planned = plan_connections(PLAN.seed, PLAN.day, PLAN.airports, flights)
    links = sorted({link for listed in planned.values() for link in listed}, key=lambda x: x.key)
    checked = returns = 0
    for link in links[:12]:
        booking = draw_connection(link, flights, link.inbound)
        legs = [flights[link.inbound], flights[link.onward]]
        seen = []
        itineraries: list[Any] = []
        for flight in legs:
            _, last = _pushes(day, flight.designator)[-1]
            (pnr,) = [b for b in last.bookings if b.record_locator == booking.locator]
            itinerary = [(leg.marketing_carrier, leg.marketing_number) for leg in pnr.itinerary]
            assert itinerary[:2] == [(f.carrier, str(f.number)) for f in legs]
            pushed = [leg.is_pushed_flight for leg in pnr.itinerary]
            assert pushed[:2] == [f is flight for f in legs] and not any(pushed[2:])
            if len(itinerary) > 2:  # the way back, through the hub again
                back = pnr.itinerary[2:]
                assert len(back) == 2 and back[0].departure_airport == legs[1].destination
                assert back[0].arrival_airport == back[1].departure_airport == legs[0].destination
                assert back[1].arrival_airport == legs[0].origin
                assert back[0].departure > legs[1].arrival and back[1].departure > back[0].arrival
                returns += 1
            itineraries.append(itinerary)
            seen.append(
                sorted((t.surname, t.given_names, t.unique_reference) for t in pnr.travellers)
            )
            listed = {t.booking_reference for t in _passengers(day, flight.designator)}
            shown = [t for t in pnr.travellers if t.checked_in]
            assert (booking.locator in listed) == bool(shown)
        assert seen[0] == seen[1] and itineraries[0] == itineraries[1]
        checked += 1
    assert checked >= 3 and returns


def test_close_out_push_per_flight_has_every_passenger_who_showed_up(day: Path) -> None:
    flights = _flights()
    late = xml = 0
    for flight in flights:
        pushes = _pushes(day, flight.designator)
        assert len(pushes) == 4
        path, close_out = pushes[-1]
        sent = path.name.split("_")[0]
        assert sent == f"{flight.departure + timedelta(minutes=10):%Y%m%dT%H%M}"
        listed = {
            (t.booking_reference, t.surname, t.given_names)
            for t in _passengers(day, flight.designator)
        }
        travellers = [t for b in close_out.bookings for t in b.travellers]
        if path.suffix == ".xml":  # infants travel on a lap, without a status of their own
            statuses = Counter(t.boarding_status for t in travellers if t.passenger_type != "IN")
            assert set(statuses) <= {"Boarded", "CheckedIn", "NoShow"} and statuses["Boarded"]
            shown = [t for t in travellers if t.boarding_status in ("Boarded", "CheckedIn")]
            assert all(t.checked_in and t.seat for t in shown)
            xml += 1
            continue
        checked = {
            (b.record_locator, t.surname, t.given_names)
            for b in close_out.bookings
            for t in b.travellers
            if t.checked_in
        }
        assert checked == listed  # the passenger list and the close-out agree
        seated = [t for t in travellers if t.checked_in and t.passenger_type != "IN"]
        assert seated and all(t.seat for t in seated)
        bags = [c for b in close_out.bookings for c in b.check_ins if c.bag_pieces]
        assert bags
        # T-2 had the online check-ins only: a part of the close-out's.
        _, t2 = pushes[2]
        early = {
            (b.record_locator, t.surname, t.given_names)
            for b in t2.bookings
            for t in b.travellers
            if t.checked_in
        }
        assert early <= checked
        late += len(checked - early)
    assert late  # some checked in at the airport, after T-2
    assert xml  # XML carriers push a close-out too


def test_pushes_agree_on_everything_but_documents_and_check_in(day: Path) -> None:
    for flight in _flights()[:6]:
        pushes = [push for path, push in _pushes(day, flight.designator) if path.suffix == ".edi"]
        if len(pushes) < 4:
            continue

        def facts(push: Any) -> dict[str | None, Any]:
            return {
                b.record_locator: (
                    b.created_at,
                    b.last_modified,
                    [(p.type, p.amount, p.card_last_four) for p in b.payments],
                    [t.number for t in b.tickets],
                    [
                        (leg.departure_airport, leg.arrival_airport, leg.departure)
                        for leg in b.itinerary
                    ],
                    [c.value for c in b.contacts],
                    b.agency,
                )
                for b in push.bookings
            }

        assert facts(pushes[1]) == facts(pushes[2]) == facts(pushes[3])


def test_groups_and_payment_mix(day: Path) -> None:
    groups: list[Any] = []
    payments: Counter[str | None] = Counter()
    for flight in _flights():
        path, push = _pushes(day, flight.designator)[1]  # T-24
        if path.suffix != ".edi":
            continue
        for booking in push.bookings:
            payments.update(p.type for p in booking.payments)
            if any(r.code == "GRPS" for r in booking.special_requests):
                groups.append(booking)
    assert {"CC", "CA", "IN"} <= set(payments)
    assert payments["CC"] > payments["CA"] > 0 and payments["IN"] > 0
    assert groups
    for booking in groups:
        (request,) = [r for r in booking.special_requests if r.code == "GRPS"]
        assert request.text and request.quantity == str(len(booking.travellers))
        assert 10 <= len(booking.travellers) <= 30
        assert len({t.surname for t in booking.travellers}) > 1  # not one family
        assert booking.agency.originator_type == "T" and booking.agency.agency_number
        assert any("TOUR CODE" in remark for remark in booking.remarks)
        assert {c.value for c in booking.contacts} == {booking.contacts[0].value}  # the desk
        assert all(t.passenger_type == "A" for t in booking.travellers)
    assert any({p.type for p in b.payments} == {"IN"} for b in groups)


def test_day_loads_with_connections_groups_and_invoices(day: Path, tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/x.db")
    summary = ingest_paths(store, [day], today=DAY)
    files = [p for p in day.iterdir() if p.is_file()]
    assert (summary.loaded, summary.quarantined, summary.warnings) == (len(files), 0, 0)
    with store.connect() as conn:
        linked = conn.execute(
            text(
                "SELECT booking_id, COUNT(*) FROM booking_flights GROUP BY booking_id"
                " HAVING COUNT(*) > 1"
            )
        ).all()
        kinds = {row[0] for row in conn.execute(text("SELECT DISTINCT type FROM payments"))}
        rows = conn.execute(
            text("SELECT booking_reference, flight_id FROM travellers WHERE role = 'passenger'")
        ).all()
    assert linked  # a connecting booking belongs to both its flights
    assert {"CC", "CA", "IN"} <= kinds
    flights_of: defaultdict[str, set[int]] = defaultdict(set)
    for locator, flight_id in rows:
        flights_of[locator].add(flight_id)
    assert any(len(found) == 2 for found in flights_of.values())
