"""The link graph for other tools: GraphML, Neo4j's CSV import files, FollowTheMoney entities.

Exports carry internal ids and masked identifiers, not names or raw numbers: the file leaves
the product, and the product's protection of personal data must not stop at its edge. An
analyst who needs names looks them up in firstline by the traveller id.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import quoteattr

from firstline.graph.network import LinkGraph
from firstline.graph.pivots import Pivot

FORMATS = ("graphml", "neo4j", "ftm")


def pivot_id(pivot: Pivot) -> str:
    """A stable node id that does not reveal the identifier."""
    digest = hashlib.sha256(f"{pivot.kind}:{pivot.value}".encode()).hexdigest()[:16]
    return f"{pivot.kind}:{digest}"


def _nodes(graph: LinkGraph) -> Iterator[tuple[str, str, str]]:
    """(node id, label, shown value)."""
    people = set(graph.pivots_of) | set(graph.booking_of) | set(graph.beside) | set(graph.sequenced)
    for traveller in sorted(people):
        yield f"traveller:{traveller}", "Traveller", str(traveller)
    for booking in sorted(graph.members):
        yield f"booking:{booking}", "Booking", str(booking)
    for pivot, holders in sorted(graph.holders.items(), key=lambda kv: pivot_id(kv[0])):
        label = "CommonIdentifier" if len(holders) > graph.common_cap else "Identifier"
        yield pivot_id(pivot), label, f"{pivot.kind} {pivot.shown()}"


def _edges(graph: LinkGraph) -> Iterator[tuple[str, str, str]]:
    """(source, target, type)."""
    for traveller, booking in sorted(graph.booking_of.items()):
        yield f"traveller:{traveller}", f"booking:{booking}", "BOOKED_ON"
    for traveller, pivots in sorted(graph.pivots_of.items()):
        for pivot in sorted(pivots, key=pivot_id):
            yield f"traveller:{traveller}", pivot_id(pivot), f"USES_{pivot.kind.upper()}"
    for traveller, others in sorted(graph.beside.items()):
        for other in sorted(o for o in others if o > traveller):
            yield f"traveller:{traveller}", f"traveller:{other}", "SAT_BESIDE"
    for traveller, linked in sorted(graph.sequenced.items()):
        for other, how in sorted(linked.items()):
            if other > traveller:
                kind = "CHECKED_IN_AFTER" if "check-in" in how else "BAGS_AFTER"
                yield f"traveller:{traveller}", f"traveller:{other}", kind


def write_graphml(graph: LinkGraph, path: Path) -> tuple[int, int]:
    nodes = edges = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
        out.write('  <key id="label" for="node" attr.name="label" attr.type="string"/>\n')
        out.write('  <key id="shown" for="node" attr.name="shown" attr.type="string"/>\n')
        out.write('  <key id="type" for="edge" attr.name="type" attr.type="string"/>\n')
        out.write('  <graph id="firstline" edgedefault="undirected">\n')
        for node_id, label, shown in _nodes(graph):
            out.write(
                f'    <node id={quoteattr(node_id)}><data key="label">{label}</data>'
                f'<data key="shown">{_text(shown)}</data></node>\n'
            )
            nodes += 1
        for n, (source, target, kind) in enumerate(_edges(graph)):
            out.write(
                f'    <edge id="e{n}" source={quoteattr(source)} target={quoteattr(target)}>'
                f'<data key="type">{kind}</data></edge>\n'
            )
            edges += 1
        out.write("  </graph>\n</graphml>\n")
    return nodes, edges


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_neo4j(graph: LinkGraph, folder: Path) -> tuple[int, int]:
    """nodes.csv and relationships.csv in the layout `neo4j-admin database import` reads."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes = edges = 0
    with (folder / "nodes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id:ID", ":LABEL", "shown"])
        for node_id, label, shown in _nodes(graph):
            writer.writerow([node_id, label, shown])
            nodes += 1
    with (folder / "relationships.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([":START_ID", ":END_ID", ":TYPE"])
        for source, target, kind in _edges(graph):
            writer.writerow([source, target, kind])
            edges += 1
    return nodes, edges


def write_ftm(graph: LinkGraph, path: Path) -> tuple[int, int]:
    """FollowTheMoney JSON lines: a Person per traveller, an UnknownLink per shared booking or
    identifier (subject and object are travellers; the role says what they share)."""
    people = sorted(
        set(graph.pivots_of) | set(graph.booking_of) | set(graph.beside) | set(graph.sequenced)
    )
    nodes = edges = 0
    with path.open("w", encoding="utf-8") as out:
        for traveller in people:
            entity = {"id": f"fl-traveller-{traveller}", "schema": "Person",
                      "properties": {"name": [f"traveller {traveller}"]}}  # fmt: skip
            out.write(json.dumps(entity) + "\n")
            nodes += 1
        seen: set[tuple[int, int, str]] = set()
        for group, role in _shared_groups(graph):
            members = sorted(group)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if (a, b, role) in seen:
                        continue
                    seen.add((a, b, role))
                    link = {
                        "id": f"fl-link-{a}-{b}-{role.replace(' ', '-')}",
                        "schema": "UnknownLink",
                        "properties": {
                            "subject": [f"fl-traveller-{a}"],
                            "object": [f"fl-traveller-{b}"],
                            "role": [role],
                        },
                    }
                    out.write(json.dumps(link) + "\n")
                    edges += 1
    return nodes, edges


def _shared_groups(graph: LinkGraph) -> Iterator[tuple[set[int], str]]:
    for members in graph.members.values():
        if len(members) > 1:
            yield members, "same booking"
    for pivot, holders in graph.holders.items():
        if 1 < len(holders) <= graph.common_cap:
            yield holders, f"shared {pivot.kind}"
    for traveller, others in graph.beside.items():
        for other in others:
            yield {traveller, other}, "adjacent seat"
    for traveller, linked in graph.sequenced.items():
        for other, how in linked.items():
            yield {traveller, other}, how
