"""The link graph in memory: travellers, bookings and pivots, and walks over them.

Built from the store (the source of truth) for the flights asked about. Two travellers are
connected when they share a booking (co-travel) or a pivot. A pivot shared by very many
travellers (an agency's phone, a call-centre e-mail, a tour operator's card) would connect
everyone to everyone: above `common_cap` travellers it is *damped*, kept and reported but not
walked through.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from firstline.graph.pivots import Pivot

Node = tuple[str, object]  # ("traveller", id), ("booking", id), ("pivot", Pivot)


@dataclass(slots=True)
class Link:
    """One step of a path: from a traveller through a booking or a pivot to another."""

    traveller_id: int
    via: str  # "booking" or the pivot kind
    via_value: str  # booking id, or the pivot as shown to an analyst
    hops: int


@dataclass(frozen=True, slots=True)
class Connector:
    """What links two travellers, as a node of a picture: a booking, a pivot, a pair of
    adjacent seats or a check-in / bag-tag sequence."""

    via: str  # as in `Link.via`: "booking", a pivot kind, "adjacent seat", "consecutive ..."
    key: str  # identity within `via` (booking id, pivot value, the pair); never shown
    shown: str  # what an analyst sees (`Pivot.shown()`, the booking id, or "")


@dataclass(slots=True)
class LinkNetwork:
    """A neighbourhood as a graph: travellers by hops, and traveller-connector edges."""

    centre: int
    hops_of: dict[int, int]  # traveller -> hops from the centre (the centre is 0)
    edges: list[tuple[int, Connector]]  # in discovery order, each once


@dataclass(slots=True)
class LinkGraph:
    common_cap: int = 25
    pivots_of: dict[int, set[Pivot]] = field(default_factory=dict)
    holders: dict[Pivot, set[int]] = field(default_factory=dict)
    booking_of: dict[int, int] = field(default_factory=dict)
    members: dict[int, set[int]] = field(default_factory=dict)
    # Co-travel outside the booking: travellers seated side by side on a flight.
    beside: dict[int, set[int]] = field(default_factory=dict)
    # Co-travel by sequence: consecutive check-in numbers or bag tags on a flight.
    sequenced: dict[int, dict[int, str]] = field(default_factory=dict)
    # Holders counted outside this graph, for a graph scoped to a few flights: a pivot common
    # in the whole store stays damped even when few of its holders were loaded.
    known_holders: dict[Pivot, int] = field(default_factory=dict)

    def add(self, pivots: Iterable[tuple[int, Pivot]], bookings: Iterable[tuple[int, int]]) -> None:
        """Add (traveller, pivot) and (traveller, booking) pairs; adding twice changes nothing."""
        for traveller, pivot in pivots:
            self.pivots_of.setdefault(traveller, set()).add(pivot)
            self.holders.setdefault(pivot, set()).add(traveller)
        for traveller, booking in bookings:
            self.booking_of[traveller] = booking
            self.members.setdefault(booking, set()).add(traveller)

    def add_sequences(self, pairs: Iterable[tuple[int, int, str]]) -> None:
        for a, b, how in pairs:
            # The booking already links people who booked together: keep what it does not.
            if self.booking_of.get(a) is not None and self.booking_of.get(a) == self.booking_of.get(
                b
            ):
                continue
            self.sequenced.setdefault(a, {})[b] = how
            self.sequenced.setdefault(b, {})[a] = how

    def add_seats(self, seats: Iterable[tuple[int, int, int, str, int | None]]) -> None:
        """Link travellers in adjacent seats of one row (A-B, B-C ...) from different
        bookings: people who travel together but booked apart sit together."""
        by_row: dict[tuple[int, int], list[tuple[str, int, int | None]]] = {}
        for traveller, flight, row, letter, booking in seats:
            by_row.setdefault((flight, row), []).append((letter, traveller, booking))
        for occupants in by_row.values():
            occupants.sort()
            for (la, ta, ba), (lb, tb, bb) in zip(occupants, occupants[1:], strict=False):
                if ord(lb) - ord(la) == 1 and (ba is None or ba != bb):
                    self.beside.setdefault(ta, set()).add(tb)
                    self.beside.setdefault(tb, set()).add(ta)

    @classmethod
    def build(
        cls,
        pivots: Iterable[tuple[int, Pivot]],
        bookings: Iterable[tuple[int, int]],
        *,
        common_cap: int = 25,
    ) -> LinkGraph:
        """From (traveller, pivot) and (traveller, booking) pairs."""
        graph = cls(common_cap=common_cap)
        graph.add(pivots, bookings)
        return graph

    def holder_count(self, pivot: Pivot) -> int:
        return max(len(self.holders.get(pivot, ())), self.known_holders.get(pivot, 0))

    def damped(self, pivot: Pivot) -> bool:
        return self.holder_count(pivot) > self.common_cap

    def common_pivots(self) -> list[tuple[Pivot, int]]:
        found = [(p, len(h)) for p, h in self.holders.items() if len(h) > self.common_cap]
        return sorted(found, key=lambda item: -item[1])

    def _neighbours(self, traveller: int) -> Iterable[tuple[int, str, str]]:
        for other, connector in self._links(traveller):
            yield other, connector.via, connector.shown

    def _links(self, traveller: int) -> Iterable[tuple[int, Connector]]:
        """Every traveller one step away, with what links them (seat and sequence links
        are shown as nothing but their kind, as in `Link`)."""
        for other in self.beside.get(traveller, ()):
            yield other, Connector("adjacent seat", _pair(traveller, other), "")
        for other, how in self.sequenced.get(traveller, {}).items():
            yield other, Connector(how, _pair(traveller, other), "")
        booking = self.booking_of.get(traveller)
        if booking is not None:
            for other in self.members.get(booking, ()):
                if other != traveller:
                    yield other, Connector("booking", str(booking), str(booking))
        for pivot in self.pivots_of.get(traveller, ()):
            if self.damped(pivot):
                continue
            for other in self.holders[pivot]:
                if other != traveller:
                    yield other, Connector(pivot.kind, pivot.value, pivot.shown())

    def neighbourhood_graph(self, traveller: int, hops: int = 2) -> LinkNetwork:
        """The travellers of `neighbourhood` and every link followed to reach them: each
        traveller within `hops - 1` steps contributes all its links, so a picture shows
        every way two of them are connected, not only the first one found."""
        hops_of = {traveller: 0}
        edges: dict[tuple[int, Connector], None] = {}  # insertion-ordered set
        queue: deque[int] = deque([traveller])
        while queue:
            current = queue.popleft()
            depth = hops_of[current]
            if depth == hops:
                continue
            for other, connector in self._links(current):
                if other not in hops_of:
                    hops_of[other] = depth + 1
                    queue.append(other)
                edges[(current, connector)] = None
                edges[(other, connector)] = None
        return LinkNetwork(traveller, hops_of, list(edges))

    def neighbourhood(self, traveller: int, hops: int = 2) -> list[Link]:
        """Travellers within `hops` steps, each with the step that first reached it."""
        seen = {traveller}
        found: list[Link] = []
        queue: deque[tuple[int, int]] = deque([(traveller, 0)])
        while queue:
            current, depth = queue.popleft()
            if depth == hops:
                continue
            for other, via, value in self._neighbours(current):
                if other in seen:
                    continue
                seen.add(other)
                found.append(Link(other, via, value, depth + 1))
                queue.append((other, depth + 1))
        return found

    def shortest_path(self, start: int, goal: int, max_hops: int = 6) -> list[Link] | None:
        """The fewest steps from one traveller to another, or None within `max_hops`."""
        previous: dict[int, tuple[int, str, str]] = {}
        queue: deque[tuple[int, int]] = deque([(start, 0)])
        seen = {start}
        while queue:
            current, depth = queue.popleft()
            if current == goal:
                path: list[Link] = []
                node = goal
                while node != start:
                    parent, via, value = previous[node]
                    path.append(Link(node, via, value, 0))
                    node = parent
                path.reverse()
                for n, link in enumerate(path, start=1):
                    link.hops = n
                return path
            if depth == max_hops:
                continue
            for other, via, value in self._neighbours(current):
                if other not in seen:
                    seen.add(other)
                    previous[other] = (current, via, value)
                    queue.append((other, depth + 1))
        return None


def _pair(a: int, b: int) -> str:
    """One key for a symmetric link, whichever end it is walked from."""
    return f"{min(a, b)}-{max(a, b)}"
