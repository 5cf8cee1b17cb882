"""The link graph: co-travel and shared identifiers, walks, damping of common identifiers."""

from __future__ import annotations

from firstline.graph.network import LinkGraph
from firstline.graph.pivots import Pivot, card_pivot, document_pivot, email_pivot, phone_pivot

PHONE = Pivot("phone", "+441234567890")
EMAIL = Pivot("email", "someone@example.net")


def _graph(common_cap: int = 25) -> LinkGraph:
    # 1 and 2 book together; 2 shares a phone with 3; 3 shares an e-mail with 4; 5 is alone.
    pivots = [(2, PHONE), (3, PHONE), (3, EMAIL), (4, EMAIL)]
    bookings = [(1, 100), (2, 100), (3, 200), (4, 300), (5, 400)]
    return LinkGraph.build(pivots, bookings, common_cap=common_cap)


def test_neighbourhood_follows_bookings_and_pivots_hop_by_hop() -> None:
    graph = _graph()
    one = {(link.traveller_id, link.hops, link.via) for link in graph.neighbourhood(1, hops=1)}
    assert one == {(2, 1, "booking")}
    three = {(link.traveller_id, link.hops, link.via) for link in graph.neighbourhood(1, hops=3)}
    assert three == {(2, 1, "booking"), (3, 2, "phone"), (4, 3, "email")}
    assert graph.neighbourhood(5, hops=3) == []


def test_shortest_path_says_how_two_travellers_meet() -> None:
    path = _graph().shortest_path(1, 4)
    assert path is not None
    assert [(link.traveller_id, link.via, link.hops) for link in path] == [
        (2, "booking", 1),
        (3, "phone", 2),
        (4, "email", 3),
    ]
    assert _graph().shortest_path(1, 5) is None
    assert _graph().shortest_path(1, 4, max_hops=2) is None


def test_a_very_common_identifier_is_damped_not_walked() -> None:
    agency_phone = Pivot("phone", "+4969000000")
    pivots = [(n, agency_phone) for n in range(10, 40)] + [(1, agency_phone)]
    graph = LinkGraph.build(pivots, [], common_cap=25)
    assert graph.damped(agency_phone)
    assert graph.neighbourhood(1, hops=2) == []
    assert graph.common_pivots() == [(agency_phone, 31)]
    # Below the cap the same identifier links everyone who holds it.
    small = LinkGraph.build(pivots[:5] + [(1, agency_phone)], [], common_cap=25)
    assert {link.traveller_id for link in small.neighbourhood(1, hops=1)} == {10, 11, 12, 13, 14}


def test_pivots_are_normalised_like_ingest_and_cards_never_shown() -> None:
    assert phone_pivot("+44 20 7946 0958") == Pivot("phone", "+442079460958")
    assert phone_pivot("+442079460958") == phone_pivot("+44 (20) 7946-0958")
    assert email_pivot(" Someone@Example.NET ") == EMAIL
    assert email_pivot("not an address") is None
    card = card_pivot("4111 1111 1111 1111", b"key")
    assert card is not None and card == card_pivot("4111-1111-1111-1111", b"key")
    assert "4111" not in card.value and "1111" not in card.shown()
    assert card_pivot("XXXXXXXXXXXX1111", b"key") is None
    assert document_pivot("c01x 00t47", "deu") == Pivot("document", "DEU:C01X00T47")
    assert EMAIL.shown() == "som...net"


def test_travellers_seated_side_by_side_from_different_bookings_are_linked() -> None:
    graph = LinkGraph.build([], [(1, 10), (2, 20), (3, 10), (4, 30)])
    # Flight 7, row 12: A (1), B (2), C (3) and D (4) two rows back; 1 and 3 share a booking.
    graph.add_seats([(1, 7, 12, "A", 10), (2, 7, 12, "B", 20), (3, 7, 12, "C", 10),
                     (4, 7, 14, "D", 30), (5, 8, 12, "B", None)])  # fmt: skip
    assert graph.beside == {1: {2}, 2: {1, 3}, 3: {2}}
    reached = {(link.traveller_id, link.via) for link in graph.neighbourhood(1, hops=1)}
    assert reached == {(2, "adjacent seat"), (3, "booking")}
    assert 4 not in {link.traveller_id for link in graph.neighbourhood(1, hops=3)}


def test_agencies_are_shown_but_large_ones_damped() -> None:
    small = Pivot("agency", "40609170")
    pivots = [(1, small), (2, small)] + [(n, Pivot("agency", "BIGOTA")) for n in range(10, 60)]
    graph = LinkGraph.build(pivots, [])
    assert small.shown() == "40609170"
    assert [(link.traveller_id, link.via) for link in graph.neighbourhood(1)] == [(2, "agency")]
    assert graph.neighbourhood(10) == []
