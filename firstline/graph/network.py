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
        for traveller, pivot in pivots:
            graph.pivots_of.setdefault(traveller, set()).add(pivot)
            graph.holders.setdefault(pivot, set()).add(traveller)
        for traveller, booking in bookings:
            graph.booking_of[traveller] = booking
            graph.members.setdefault(booking, set()).add(traveller)
        return graph

    def damped(self, pivot: Pivot) -> bool:
        return len(self.holders.get(pivot, ())) > self.common_cap

    def common_pivots(self) -> list[tuple[Pivot, int]]:
        found = [(p, len(h)) for p, h in self.holders.items() if len(h) > self.common_cap]
        return sorted(found, key=lambda item: -item[1])

    def _neighbours(self, traveller: int) -> Iterable[tuple[int, str, str]]:
        for other in self.beside.get(traveller, ()):
            yield other, "adjacent seat", ""
        for other, how in self.sequenced.get(traveller, {}).items():
            yield other, how, ""
        booking = self.booking_of.get(traveller)
        if booking is not None:
            for other in self.members.get(booking, ()):
                if other != traveller:
                    yield other, "booking", str(booking)
        for pivot in self.pivots_of.get(traveller, ()):
            if self.damped(pivot):
                continue
            for other in self.holders[pivot]:
                if other != traveller:
                    yield other, pivot.kind, pivot.shown()

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
