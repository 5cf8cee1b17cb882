"""The layout of a network picture: deterministic, in rings by hops, capped."""

from __future__ import annotations

import math

from firstline.graph.layout import LayoutEdge, LayoutNode, layout


def _star(branches: int, leaves: int) -> tuple[list[LayoutNode], list[LayoutEdge]]:
    """A centre, `branches` connectors around it, each leading to `leaves` travellers."""
    nodes = [LayoutNode("t0", "traveller", "#0", 0, centre=True)]
    edges: list[LayoutEdge] = []
    for b in range(branches):
        nodes.append(LayoutNode(f"c{b}", "pivot", "phone", 0.5))
        edges.append(LayoutEdge("t0", f"c{b}", "phone"))
        for n in range(leaves):
            leaf = f"t{b}-{n}"
            nodes.append(LayoutNode(leaf, "traveller", leaf, 1, hit=(n == leaves - 1)))
            edges.append(LayoutEdge(leaf, f"c{b}", "phone"))
    return nodes, edges


def _distance(x: float, y: float, width: int = 900, height: int = 560) -> float:
    """Distance from the middle, the ellipse scaled to a circle."""
    return math.hypot((x - width / 2) / (width / 2 - 70), (y - height / 2) / (height / 2 - 35))


def test_same_input_same_picture() -> None:
    nodes, edges = _star(4, 3)
    assert layout(nodes, edges) == layout(list(nodes), list(edges))


def test_centre_in_the_middle_and_rings_by_hops() -> None:
    nodes, edges = _star(3, 2)
    drawn = layout(nodes, edges)
    at = {p.node.id: p for p in drawn.nodes}
    assert (at["t0"].x, at["t0"].y) == (450.0, 280.0)
    for placed in drawn.nodes:
        assert 0 <= placed.x <= drawn.width and 0 <= placed.y <= drawn.height
        assert abs(_distance(placed.x, placed.y) - placed.node.hops) < 0.01
    assert drawn.left_out == 0 and len(drawn.edges) == len(edges)


def test_children_stay_close_to_their_parent() -> None:
    nodes, edges = _star(4, 3)
    at = {p.node.id: p for p in layout(nodes, edges).nodes}

    def angle(node_id: str) -> float:
        return math.atan2(at[node_id].y - 280, at[node_id].x - 450)

    for b in range(4):
        for n in range(3):
            gap = abs(angle(f"t{b}-{n}") - angle(f"c{b}"))
            # Each branch holds a quarter of the circle: its leaves stay within it.
            assert min(gap, 2 * math.pi - gap) < math.pi / 4 + 1e-9


def test_over_the_cap_nodes_are_left_out_and_counted() -> None:
    nodes, edges = _star(10, 8)  # 1 + 10 + 80 nodes
    drawn = layout(nodes, edges, max_nodes=30)
    kept = {p.node.id for p in drawn.nodes}
    assert len(kept) <= 30 and drawn.left_out == len(nodes) - len(kept)
    assert "t0" in kept
    # Hits are kept before other travellers at the same distance.
    hits = [p for p in drawn.nodes if p.node.hit]
    assert len(hits) == 10
    # No edge leads to a node not drawn.
    assert all(e.a in kept and e.b in kept for e in drawn.edges)


def test_a_connector_left_with_one_end_is_not_drawn() -> None:
    nodes = [
        LayoutNode("t0", "traveller", "#0", 0, centre=True),
        LayoutNode("c1", "booking", "booking", 0.5),
        LayoutNode("t1", "traveller", "#1", 1),
    ]
    edges = [LayoutEdge("t0", "c1", "booking"), LayoutEdge("t1", "c1", "booking")]
    drawn = layout(nodes, edges, max_nodes=2)
    assert [p.node.id for p in drawn.nodes] == ["t0"]
    assert drawn.left_out == 2 and drawn.edges == []
