"""Exports of the link graph: GraphML, Neo4j import CSVs, FollowTheMoney entities."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import defusedxml.ElementTree as ET

from firstline.graph.export import pivot_id, write_ftm, write_graphml, write_neo4j
from firstline.graph.network import LinkGraph
from firstline.graph.pivots import Pivot

PHONE = Pivot("phone", "+441234567890")
AGENCY = Pivot("phone", "+4969000000")
NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


def _graph() -> LinkGraph:
    pivots = [(1, PHONE), (3, PHONE)] + [(n, AGENCY) for n in range(10, 40)]
    return LinkGraph.build(pivots, [(1, 100), (2, 100), (3, 200)], common_cap=25)


def test_graphml_holds_every_node_and_edge_without_raw_identifiers(tmp_path: Path) -> None:
    path = tmp_path / "g.graphml"
    nodes, edges = write_graphml(_graph(), path)
    tree = ET.parse(path)
    assert len(tree.findall(".//g:node", NS)) == nodes == 3 + 30 + 2 + 2
    assert len(tree.findall(".//g:edge", NS)) == edges == 3 + 2 + 30
    text = path.read_text()
    assert "+441234567890" not in text and pivot_id(PHONE) in text
    assert "CommonIdentifier" in text  # the agency phone is marked, not hidden


def test_neo4j_files_use_the_import_headers(tmp_path: Path) -> None:
    nodes, edges = write_neo4j(_graph(), tmp_path / "neo")
    with (tmp_path / "neo" / "nodes.csv").open() as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id:ID", ":LABEL", "shown"] and len(rows) == nodes + 1
    with (tmp_path / "neo" / "relationships.csv").open() as handle:
        rels = list(csv.reader(handle))
    assert rels[0] == [":START_ID", ":END_ID", ":TYPE"] and len(rels) == edges + 1
    assert ["traveller:1", "booking:100", "BOOKED_ON"] in rels


def test_ftm_links_travellers_who_share_but_not_through_damped_identifiers(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    write_ftm(_graph(), path)
    entities = [json.loads(line) for line in path.read_text().splitlines()]
    links = [e for e in entities if e["schema"] == "UnknownLink"]
    pairs = {(e["properties"]["subject"][0], e["properties"]["object"][0],
              e["properties"]["role"][0]) for e in links}  # fmt: skip
    assert pairs == {
        ("fl-traveller-1", "fl-traveller-2", "same booking"),
        ("fl-traveller-1", "fl-traveller-3", "shared phone"),
    }
    assert {e["schema"] for e in entities} == {"Person", "UnknownLink"}
