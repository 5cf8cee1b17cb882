"""Links from check-in and document details: addresses, frequent flyers, sequences."""

from __future__ import annotations

from firstline.graph.details import detail_pivots, sequences
from firstline.graph.network import LinkGraph
from firstline.graph.pivots import Pivot


def test_addresses_and_frequent_flyer_numbers_are_pivots() -> None:
    details = {
        "address": {"street": "12  Harbour   Road", "postcode": "80743", "country": "DEU"},
        "pnr": {"frequent_flyers": [{"airline": "AZ", "number": "3678824949"}]},
    }
    assert list(detail_pivots(5, details)) == [
        (5, Pivot("address", "12 HARBOUR ROAD 80743 DEU")),
        (5, Pivot("frequent_flyer", "AZ3678824949")),
    ]
    # An address without a street or postcode says too little to link anyone.
    assert list(detail_pivots(5, {"address": {"city": "RIVERSIDE"}})) == []


def test_consecutive_check_in_and_bag_tags_are_co_travel() -> None:
    first = {
        "pnr": {"boarding_number": "FRA-010"},
        "bag_tags": [{"first_tag": "AZ100", "count": 2}],
    }
    second = {
        "pnr": {"boarding_number": "FRA-011"},
        "bag_tags": [{"first_tag": "AZ102", "count": 1}],
    }
    rows = [
        (1, 7, first),
        (2, 7, second),
        (3, 7, {"pnr": {"boarding_number": "FRA-014"}}),
        (4, 8, {"pnr": {"boarding_number": "FRA-012"}}),  # another flight
    ]
    pairs = set(sequences(rows))
    assert pairs == {(1, 2, "consecutive check-in"), (1, 2, "consecutive bag tags")}


def test_sequences_inside_one_booking_add_nothing() -> None:
    graph = LinkGraph.build([], [(1, 10), (2, 10), (3, 20)])
    graph.add_sequences([(1, 2, "consecutive check-in"), (2, 3, "consecutive bag tags")])
    assert graph.sequenced == {2: {3: "consecutive bag tags"}, 3: {2: "consecutive bag tags"}}
    reached = {(link.traveller_id, link.via) for link in graph.neighbourhood(3, hops=2)}
    assert reached == {(2, "consecutive bag tags"), (1, "booking")}
