"""A traveller's network as a picture: the same travellers as the whole-store graph, found
without building it, laid out and drawn as SVG with clickable travellers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
import pytest
from sqlalchemy import select

from firstline.exc import NotFoundError
from firstline.generate.day import DayPlan, write_day
from firstline.graph.network import LinkGraph
from firstline.graph.pivots import Pivot
from firstline.services import links as link_service
from firstline.services.ingest import ingest_paths
from firstline.store import Store, open_store
from firstline.store.repos import hits as hit_repo
from firstline.store.tables import travellers
from firstline.web.explanations import explained

TEMPLATES = Path(link_service.__file__).parent.parent / "web" / "templates"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("picture") / "day"
    plan = DayPlan(day=date.today() + timedelta(days=1), airports=("FRA",), flights=8, seed=11)
    write_day(plan, out)
    return out


@pytest.fixture
def store(database_url: str, day: Path) -> Store:
    opened = open_store(database_url)
    ingest_paths(opened, [day])
    return opened


def _travellers(picture: dict[str, Any]) -> set[int]:
    return {n["traveller_id"] for n in picture["nodes"] if n["kind"] == "traveller"}


def _sample(store: Store) -> list[int]:
    """Travellers with links of every sort: the first of each flight, and every 37th."""
    with store.connect() as conn:
        ids = [
            int(i)
            for i in conn.execute(select(travellers.c.id).order_by(travellers.c.id)).scalars()
        ]
    return ids[::37]


def test_the_picture_holds_the_whole_graph_neighbourhood(store: Store) -> None:
    checked = 0
    for traveller in _sample(store):
        for hops in (1, 2):
            whole = link_service.network(store, traveller, hops=hops)
            picture = link_service.network_picture(store, traveller, hops=hops)
            reached = {link["traveller_id"] for link in whole["links"]}
            hops_of = {
                n["traveller_id"]: n["hops"]
                for n in picture["nodes"]
                if n["traveller_id"] is not None
            }
            if picture["left_out"] == 0:
                assert _travellers(picture) - {traveller} == reached
            assert {t: h for t, h in hops_of.items() if t != traveller} == {
                link["traveller_id"]: link["hops"]
                for link in whole["links"]
                if link["traveller_id"] in hops_of
            }
            # The picture's carry their words too (for pages in other languages).
            damped = [{k: d[k] for k in ("kind", "value", "travellers")} for d in picture["damped"]]
            assert damped == sorted(whole["damped"], key=lambda d: (d["kind"], d["value"]))
            checked += bool(reached)
    assert checked >= 5  # the sample did reach people
    # The same without the drawing cap: the walk over the scoped graph, hops included.
    graph = link_service.build_graph(store)
    with store.connect() as conn:
        for traveller in _sample(store):
            scoped = link_service.scoped_graph(conn, traveller, hops=2)
            expected = {(lk.traveller_id, lk.hops) for lk in graph.neighbourhood(traveller, 2)}
            found = {(lk.traveller_id, lk.hops) for lk in scoped.neighbourhood(traveller, 2)}
            assert found == expected


def test_nodes_edges_and_hits(store: Store) -> None:
    traveller, picture = _linked_picture(store)
    with store.begin() as conn:
        other = next(n for n in picture["nodes"] if n["kind"] == "traveller" and not n["centre"])
        hit = hit_repo.NewHit(other["traveller_id"], other["flight_id"], "rule", "rule:seed",
                              "seed", "other", "low", 0.5, {"summary": []})  # fmt: skip
        hit_repo.record_hits(conn, [hit.traveller_id], [hit], source="rule", now=datetime.now(UTC))
    picture = link_service.network_picture(store, traveller)
    nodes = {n["id"]: n for n in picture["nodes"]}
    assert set(picture) == {"traveller_id", "flight_id", "hops", "width", "height", "left_out",
                            "nodes", "edges", "damped"}  # fmt: skip
    centre = nodes[f"t{traveller}"]
    assert centre["centre"] and centre["flight_id"] == picture["flight_id"]
    assert (centre["x"], centre["y"]) == (picture["width"] / 2, picture["height"] / 2)
    assert nodes[other["id"]]["hit"] is True
    assert centre["label"].startswith(f"#{traveller} ")
    for node in picture["nodes"]:
        assert set(node) == {"id", "kind", "link", "label", "detail", "hops", "x", "y", "centre",
                             "hit", "traveller_id", "flight_id", "href", "words",
                             "title_words"}  # fmt: skip
        assert node["kind"] in ("traveller", "booking", "pivot")
    for edge in picture["edges"]:
        assert nodes[edge["a"]]["kind"] == "traveller" and nodes[edge["b"]]["kind"] != "traveller"
        assert (edge["x1"], edge["y1"]) == (nodes[edge["a"]]["x"], nodes[edge["a"]]["y"])
    # The same question gives the same picture.
    assert link_service.network_picture(store, traveller) == picture
    _valid_svg(picture)


def _valid_svg(picture: dict[str, Any]) -> None:
    """Valid XML, one link per traveller other than the centre, the note on what is left out."""
    picture["left_out"] = 3  # as when the cap was reached
    root = ET.fromstring(_render(picture=picture))
    svg = root.find(f"{SVG}svg")
    assert svg is not None and svg.get("role") == "img" and svg.get("aria-label") == "Link network"
    links = [a.get("href") for a in svg.iter(f"{SVG}a")]
    others = [n for n in picture["nodes"] if n["kind"] == "traveller" and not n["centre"]]
    assert sorted(links, key=str) == sorted(
        (f"/travellers/{n['traveller_id']}" for n in others), key=str
    )
    assert len(list(svg.iter(f"{SVG}line"))) >= len(picture["edges"])
    assert "3 more connections not drawn" in ET.tostring(root, encoding="unicode")


def test_labels_are_escaped() -> None:
    node = {"id": "t2", "kind": "traveller", "link": None, "label": "#2 <O'Brien & Co>",
            "detail": "", "hops": 1, "x": 10, "y": 10, "centre": False, "hit": True,
            "traveller_id": 2, "flight_id": 1, "href": "/travellers/2"}  # fmt: skip
    picture = {"traveller_id": 1, "flight_id": 1, "hops": 2, "width": 900, "height": 560,
               "left_out": 0, "nodes": [node], "edges": [], "damped": []}  # fmt: skip
    text = _render(network=picture)
    assert "<O'Brien" not in text
    ET.fromstring(text)


def test_an_unknown_traveller_is_not_found(database_url: str) -> None:
    with pytest.raises(NotFoundError):
        link_service.network_picture(open_store(database_url), 10**9)


def test_neighbourhood_graph_has_every_link_followed() -> None:
    phone = Pivot("phone", "+441234567890")
    graph = LinkGraph.build([(2, phone), (3, phone)], [(1, 100), (2, 100), (3, 200)])
    net = graph.neighbourhood_graph(1, hops=2)
    assert net.hops_of == {1: 0, 2: 1, 3: 2}
    vias = {(t, c.via, c.shown) for t, c in net.edges}
    assert vias == {(1, "booking", "100"), (2, "booking", "100"), (2, "phone", "+44...890"),
                    (3, "phone", "+44...890")}  # fmt: skip
    assert {link.traveller_id for link in graph.neighbourhood(1, 2)} == set(net.hops_of) - {1}


def _linked_picture(store: Store) -> tuple[int, dict[str, Any]]:
    for traveller in _sample(store):
        picture = link_service.network_picture(store, traveller)
        if len(_travellers(picture)) >= 3:
            return traveller, picture
    raise AssertionError("no traveller with two connections in the generated day")


def _render(**context: Any) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, extensions=["jinja2.ext.i18n"]
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters["explained"] = explained  # the connectors' words, in English here
    return env.get_template("_network.svg.html").render(**context)
