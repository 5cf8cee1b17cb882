"""Where to draw a small link network: a radial tree around the traveller asked about.

Pure and deterministic (no randomness, no I/O): the same nodes and edges in the same order
give the same picture, so a page reloads without the network jumping about and a printed
picture matches the screen. The centre sits in the middle, every other node on an ellipse
by its hops from the centre (connectors half-way between the travellers they link), and each
node inside the angular sector of the node it was reached from, so parent and child stay
close and branches do not cross. Force-directed layouts look livelier but move on every
reload and need many iterations; for at most a few dozen nodes rings read better.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 900
HEIGHT = 560
MAX_NODES = 60
MARGIN = 70  # room for the labels of the outer ring


@dataclass(frozen=True, slots=True)
class LayoutNode:
    id: str
    kind: str  # "traveller", "booking" or "pivot"
    label: str
    hops: float  # from the centre; connectors sit half-way (0.5, 1.5 ...)
    hit: bool = False
    centre: bool = False


@dataclass(frozen=True, slots=True)
class LayoutEdge:
    a: str
    b: str
    label: str


@dataclass(frozen=True, slots=True)
class Placed:
    node: LayoutNode
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Layout:
    nodes: list[Placed]
    edges: list[LayoutEdge]
    left_out: int  # nodes not drawn (over the cap, or connectors left with one end)
    width: int
    height: int


def layout(
    nodes: Sequence[LayoutNode],
    edges: Sequence[LayoutEdge],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    max_nodes: int = MAX_NODES,
) -> Layout:
    """Positions for at most `max_nodes` nodes in a `width` x `height` view box."""
    kept = _kept(nodes, edges, max_nodes)
    kept_edges = [e for e in edges if e.a in kept and e.b in kept]
    parent = _parents(kept, kept_edges)
    angles = _angles(kept, parent)
    outer = max((n.hops for n in kept.values()), default=0.0) or 1.0
    placed = [_place(n, angles[n.id], outer, width, height) for n in kept.values()]
    return Layout(placed, kept_edges, len(nodes) - len(kept), width, height)


def _kept(
    nodes: Sequence[LayoutNode], edges: Sequence[LayoutEdge], cap: int
) -> dict[str, LayoutNode]:
    """The nodes drawn: the closest first, hits before others at the same distance; then
    connectors that lost one end are dropped (a square leading nowhere says nothing)."""
    order = {n.id: i for i, n in enumerate(nodes)}
    ranked = sorted(nodes, key=lambda n: (not n.centre, n.hops, not n.hit, order[n.id]))
    chosen = {n.id for n in ranked[:cap]}
    ends: dict[str, int] = {}
    for edge in edges:
        if edge.a in chosen and edge.b in chosen:
            ends[edge.a] = ends.get(edge.a, 0) + 1
            ends[edge.b] = ends.get(edge.b, 0) + 1
    return {
        n.id: n
        for n in nodes  # input order: it decides the order of siblings on a ring
        if n.id in chosen and (n.kind == "traveller" or ends.get(n.id, 0) >= 2)
    }


def _parents(kept: dict[str, LayoutNode], edges: Sequence[LayoutEdge]) -> dict[str, str]:
    """Each node's parent: the first neighbour (in edge order) closer to the centre."""
    parent: dict[str, str] = {}
    for edge in edges:
        for child, other in ((edge.a, edge.b), (edge.b, edge.a)):
            if child not in parent and kept[other].hops < kept[child].hops:
                parent[child] = other
    return parent


def _angles(kept: dict[str, LayoutNode], parent: dict[str, str]) -> dict[str, float]:
    """Angles by a radial tree: each node gets a sector as wide as its number of leaves,
    split between its children in input order. Nodes reached from nowhere (no edge inward)
    hang from the centre."""
    centre = next((n.id for n in kept.values() if n.centre), None)
    children: dict[str | None, list[str]] = {}
    for child_id in kept:
        if child_id != centre:
            children.setdefault(parent.get(child_id, centre), []).append(child_id)
    leaves: dict[str | None, int] = {}

    def count(node_id: str | None) -> int:
        leaves[node_id] = sum(count(c) for c in children.get(node_id, [])) or 1
        return leaves[node_id]

    count(centre)
    angles: dict[str, float] = {}
    # Start at the top and go clockwise, as a reader scans a clock face.
    stack: list[tuple[str | None, float, float]] = [(centre, -math.pi / 2, 3 * math.pi / 2)]
    while stack:
        node_id, start, end = stack.pop()
        if node_id is not None:
            angles[node_id] = (start + end) / 2
        step = (end - start) / leaves[node_id]
        for child in children.get(node_id, []):
            width = step * leaves[child]
            stack.append((child, start, start + width))
            start += width
    return angles


def _place(node: LayoutNode, angle: float, outer: float, width: int, height: int) -> Placed:
    # An ellipse rather than a circle: the view box is wider than tall.
    rx = (width / 2 - MARGIN) * node.hops / outer
    ry = (height / 2 - MARGIN / 2) * node.hops / outer
    x = width / 2 + rx * math.cos(angle)
    y = height / 2 + ry * math.sin(angle)
    return Placed(node, round(x, 1), round(y, 1))
