"""Link analysis as analysts use it: a traveller's network, and links to listed persons.

A traveller who does not match any list by name may still book with a listed person's phone,
e-mail or card: that shared identifier is a hit of its own (source "link"), raised as messages
arrive, like screening and rules. The network of a traveller (`firstline links`) is walked
over the store's data for the flights asked about, with very common identifiers damped.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from firstline.exc import InvalidRequestError, NotFoundError
from firstline.graph.details import detail_pivots, sequences
from firstline.graph.export import FORMATS, write_ftm, write_graphml, write_neo4j
from firstline.graph.layout import Layout, LayoutEdge, LayoutNode, layout
from firstline.graph.network import Connector, Link, LinkGraph, LinkNetwork
from firstline.graph.pivots import (
    WORDS,
    Pivot,
    card_pivot,
    document_pivot,
    email_pivot,
    phone_pivot,
)
from firstline.store.db import Store
from firstline.store.repos import hits as hit_repo
from firstline.store.repos import links as link_repo
from firstline.store.repos import watchlists as list_repo
from firstline.texts import N_, Message, message, said

# A shared card is near-certain: fingerprints are exact. A phone or e-mail may be a family's
# or an office's.
LINK_SCORES = {"card": 0.9, "phone": 0.8, "email": 0.8, "document": 0.95}
# A link hit in words, per kind of identifier (its words agree with the identifier in other
# languages): the explanation's two lines and the hit's title, English templates
# (firstline.texts) that pages translate.
SENTENCES: dict[str, tuple[str, str, str]] = {
    "phone": (
        N_("The booking uses the same phone number as {who} on list '{list}' (entry {entry})."),
        N_("Shared phone number: {value}."),
        N_("{list}: shares a phone number with {who}"),
    ),
    "email": (
        N_("The booking uses the same e-mail address as {who} on list '{list}' (entry {entry})."),
        N_("Shared e-mail address: {value}."),
        N_("{list}: shares a e-mail address with {who}"),
    ),
    "card": (
        N_("The booking uses the same payment card as {who} on list '{list}' (entry {entry})."),
        N_("Shared payment card: {value}."),
        N_("{list}: shares a payment card with {who}"),
    ),
    "document": (
        N_("The booking uses the same travel document as {who} on list '{list}' (entry {entry})."),
        N_("Shared travel document: {value}."),
        N_("{list}: shares a travel document with {who}"),
    ),
}


@dataclass(frozen=True, slots=True)
class ListedPivot:
    list_id: int
    list_name: str
    category: str
    severity: str
    entry_id: int
    source_id: str
    name: str | None


@dataclass(slots=True)
class LinkSummary:
    travellers: int = 0
    new_hits: int = 0
    withdrawn_hits: int = 0
    seconds: float = 0.0


def traveller_pivot(kind: str, value: str, country: str | None) -> Pivot | None:
    """A stored identifier as a pivot (cards are stored as fingerprints already)."""
    if kind == "card":
        return Pivot("card", value)
    if kind == "document":
        return document_pivot(value, country)
    return Pivot(kind, value) if value else None


class LinkDetector:
    """Finds travellers sharing an identifier with a listed person; one per process."""

    def __init__(self, store: Store, *, card_key: bytes) -> None:
        self.store = store
        self.card_key = card_key
        self._cached: tuple[str, dict[Pivot, list[ListedPivot]]] | None = None

    def _listed(self, conn: Connection) -> dict[Pivot, list[ListedPivot]]:
        state = list_repo.lists_state(conn)
        if self._cached is not None and self._cached[0] == state:
            return self._cached[1]
        meta = list_repo.list_metadata(conn)
        found: dict[Pivot, list[ListedPivot]] = {}
        on = datetime.now(UTC).date()
        for entry_id, list_id, entry in list_repo.active_entries(conn, on=on):
            pivots: list[Pivot | None] = []
            for ident in entry.identifiers:
                kind = ident.kind.lower()
                if kind == "phone":
                    pivots.append(phone_pivot(ident.value))
                elif kind == "email":
                    pivots.append(email_pivot(ident.value))
                elif kind in ("card_number_synthetic", "card_number", "card"):
                    pivots.append(card_pivot(ident.value, self.card_key))
            if not pivots:
                continue
            listed = ListedPivot(
                list_id=list_id,
                list_name=str(meta[list_id]["name"]),
                category=str(meta[list_id]["category"]),
                severity=str(meta[list_id]["severity"]),
                entry_id=entry_id,
                source_id=entry.source_id,
                name=entry.primary_name,
            )
            for pivot in pivots:
                if pivot is not None:
                    found.setdefault(pivot, []).append(listed)
        self._cached = (state, found)
        return found

    def evaluate_flights(self, flight_ids: Sequence[int]) -> LinkSummary:
        started = time.perf_counter()
        summary = LinkSummary()
        now = datetime.now(UTC)
        with self.store.begin() as conn:
            listed = self._listed(conn)
            if not listed:
                return summary
            held: dict[int, set[Pivot]] = {}
            travellers: set[int] = set()
            for traveller, kind, value, country in link_repo.identifier_rows(conn, flight_ids):
                travellers.add(traveller)
                pivot = traveller_pivot(kind, value, country)
                if pivot is not None and pivot in listed:
                    held.setdefault(traveller, set()).add(pivot)
            flights = link_repo.flight_of(conn, list(held)) if held else {}
            found = [
                link_hit(traveller, flights[traveller], pivot, entry)
                for traveller, pivots in held.items()
                for pivot in pivots
                for entry in listed[pivot]
            ]
            changes = hit_repo.record_hits(conn, sorted(travellers), found, source="link", now=now)
        summary.travellers = len(travellers)
        summary.new_hits = changes.new
        summary.withdrawn_hits = changes.withdrawn
        summary.seconds = time.perf_counter() - started
        return summary


def link_hit(traveller: int, flight: int, pivot: Pivot, entry: ListedPivot) -> hit_repo.NewHit:
    """The hit of `traveller` holding `pivot`, which `entry` of a list holds too."""
    uses, shared, headline = _sentences(pivot.kind)
    who = entry.name or entry.source_id
    shown = pivot.shown()
    value = message(shown) if pivot.kind == "card" else shown  # a card: words, not a value
    sentences = [
        message(uses, {"who": who, "list": entry.list_name, "entry": entry.source_id}),
        message(shared, {"value": value}),
    ]
    title = message(headline, {"list": entry.list_name, "who": who})
    return hit_repo.NewHit(
        traveller_id=traveller,
        flight_id=flight,
        source="link",
        source_key=f"link:{entry.list_id}:{entry.entry_id}:{pivot.kind}",
        title=said(title),
        category=entry.category,
        severity=entry.severity,
        score=LINK_SCORES[pivot.kind],
        explanation={
            "algorithm": "firstline-links-v1",
            "pivot": pivot.kind,
            "shown": pivot.shown(),
            "list": entry.list_name,
            "entry_id": entry.entry_id,
            "source_id": entry.source_id,
            "summary": [said(line) for line in sentences],
            # The lines and the title as templates and parameters, for pages in other
            # languages (the title column keeps the English).
            "sentences": sentences,
            "title_template": title["template"],
            "title_params": title["params"],
        },
        watchlist_id=entry.list_id,
        entry_id=entry.entry_id,
    )


def _sentences(kind: str) -> tuple[str, str, str]:
    """The explanation's templates for a kind of identifier (others than those listed
    persons hold: in English only)."""
    known = SENTENCES.get(kind)
    if known is not None:
        return known
    words = WORDS.get(kind, kind)
    return (
        f"The booking uses the same {words} as {{who}} on list '{{list}}' (entry {{entry}}).",
        f"Shared {words}: {{value}}.",
        f"{{list}}: shares a {words} with {{who}}",
    )


def network(
    store: Store,
    traveller_id: int,
    *,
    hops: int = 2,
    flight_ids: Sequence[int] | None = None,
    common_cap: int = 25,
) -> dict[str, Any]:
    """A traveller's connections within `hops`, and the identifiers too common to follow."""
    with store.connect() as conn:
        if not link_repo.flight_of(conn, [traveller_id]):
            raise NotFoundError(f"no traveller {traveller_id} (see firstline travellers)")
    graph = build_graph(store, flight_ids=flight_ids, common_cap=common_cap)
    links: list[Link] = graph.neighbourhood(traveller_id, hops)
    own = graph.pivots_of.get(traveller_id, set())
    return {
        "traveller_id": traveller_id,
        "hops": hops,
        "links": [
            {
                "traveller_id": link.traveller_id,
                "hops": link.hops,
                "via": link.via,
                "value": link.via_value,
            }
            for link in links
        ],  # fmt: skip
        "damped": [
            {"kind": p.kind, "value": p.shown(), "travellers": len(graph.holders[p])}
            for p in own
            if graph.damped(p)
        ],
    }


def build_graph(
    store: Store, *, flight_ids: Sequence[int] | None = None, common_cap: int = 25
) -> LinkGraph:
    """The link graph over the stored travellers of these flights (all when None)."""
    with store.connect() as conn:
        graph = LinkGraph(common_cap=common_cap)
        _load_flights(conn, graph, flight_ids)
        return graph


def _load_flights(conn: Connection, graph: LinkGraph, flight_ids: Sequence[int] | None) -> None:
    """Add the travellers of these flights (all when None) with every link the store has."""
    pivots = [
        (t, p)
        for t, kind, value, country in link_repo.identifier_rows(conn, flight_ids)
        if (p := traveller_pivot(kind, value, country)) is not None
    ]
    # Agencies join the graph as pivots (damped when large); they are not identifiers a
    # traveller "shares" in rule facts.
    pivots += [(t, Pivot("agency", a)) for t, a in link_repo.agency_rows(conn, flight_ids)]
    details = list(link_repo.detail_rows(conn, flight_ids))
    pivots += [pair for t, _f, d in details for pair in detail_pivots(t, d)]
    graph.add(pivots, link_repo.booking_rows(conn, flight_ids))
    graph.add_seats(link_repo.seat_rows(conn, flight_ids))
    graph.add_sequences(sequences(details))


def export_graph(
    store: Store, format_name: str, path: Path, *, flight_ids: Sequence[int] | None = None
) -> tuple[int, int]:
    """Write the link graph as GraphML, Neo4j import CSVs (a folder) or FtM JSON lines."""
    graph = build_graph(store, flight_ids=flight_ids)
    if format_name == "graphml":
        return write_graphml(graph, path)
    if format_name == "neo4j":
        return write_neo4j(graph, path)
    if format_name == "ftm":
        return write_ftm(graph, path)
    raise InvalidRequestError(
        f"unknown graph format {format_name!r}; use one of {', '.join(FORMATS)}"
    )


def connection(store: Store, start: int, goal: int) -> list[dict[str, Any]] | None:
    """The shortest chain of shared bookings, seats and identifiers between two travellers."""
    with store.connect() as conn:
        known = link_repo.flight_of(conn, [start, goal])
    missing = [t for t in (start, goal) if t not in known]
    if missing:
        raise NotFoundError(f"no traveller {missing[0]} (see firstline travellers)")
    path = build_graph(store).shortest_path(start, goal)
    if path is None:
        return None
    return [
        {"traveller_id": link.traveller_id, "hops": link.hops, "via": link.via,
         "value": link.via_value}
        for link in path
    ]  # fmt: skip


# --- The network as a picture --------------------------------------------------------------
#
# The whole-store graph takes seconds to build with a million travellers; a page cannot wait
# for it. The picture walks outward one hop at a time instead, loading only what the walk
# needs: the flights of the travellers it expands (seats, check-in sequences, agencies,
# addresses and frequent-flyer numbers are links within those flights) and, from the whole
# store through indexed look-ups, whoever shares a booking, phone, e-mail, card or document
# with them. Travellers at the last hop are not expanded, so their flights are not loaded.
# Identifiers are damped on their holders in the whole store, as in the whole-store graph.
# What stays local: an agency, address or frequent-flyer number is followed (and counted for
# damping) among the loaded flights only, as finding it elsewhere would scan JSON columns.


def scoped_graph(
    conn: Connection, centre: int, *, hops: int = 2, common_cap: int = 25
) -> LinkGraph:
    """The part of the link graph a walk of `hops` from `centre` needs."""
    graph = LinkGraph(common_cap=common_cap)
    loaded: set[int] = set()
    frontier = {centre}
    for depth in range(hops):
        flights = set(link_repo.flight_of(conn, sorted(frontier)).values()) - loaded
        _load_flights(conn, graph, sorted(flights))
        loaded |= flights
        _add_sharers(conn, graph, sorted(frontier))
        reached = graph.neighbourhood(centre, depth + 1)
        frontier = {link.traveller_id for link in reached if link.hops == depth + 1}
        if not frontier:
            break
    return graph


def _add_sharers(conn: Connection, graph: LinkGraph, travellers: Sequence[int]) -> None:
    """Add everyone, on any flight, sharing a booking or an identifier with these travellers,
    and the store-wide number of holders of each of their identifiers."""
    mine = {
        (t, p)
        for t, kind, value, country in link_repo.identifier_rows(
            conn, None, traveller_ids=travellers
        )
        if (p := traveller_pivot(kind, value, country)) is not None
    }
    wanted = {p for _t, p in mine}
    asked = [(p.kind, _stored(p)) for p in wanted]
    found = link_repo.identifier_holders(conn, asked, cap=graph.common_cap)
    counts: dict[Pivot, int] = {}
    for kind, value, country, n in found.counts:
        pivot = traveller_pivot(kind, value, country)
        if pivot in wanted:
            counts[pivot] = counts.get(pivot, 0) + n
    graph.known_holders.update(counts)
    holders = [
        (t, p)
        for t, kind, value, country in found.rows
        if (p := traveller_pivot(kind, value, country)) in wanted and counts[p] <= graph.common_cap
    ]
    graph.add(
        sorted(mine | set(holders), key=_pair_key), link_repo.booking_members(conn, travellers)
    )


def _stored(pivot: Pivot) -> str:
    """The value to look a pivot up by: a document pivot is "COUNTRY:NUMBER"."""
    return pivot.value.split(":", 1)[1] if pivot.kind == "document" else pivot.value


def _pair_key(pair: tuple[int, Pivot]) -> tuple[int, str, str]:
    return pair[0], pair[1].kind, pair[1].value


def network_picture(
    store: Store, traveller_id: int, *, hops: int = 2, common_cap: int = 25
) -> dict[str, Any]:
    """A traveller's link network laid out for drawing (see `_network.svg.html`).

    `{"traveller_id", "flight_id", "hops", "width", "height", "left_out", "nodes", "edges",
    "damped"}`; nodes and edges as `_node` and `_edge` make them.
    """
    with store.connect() as conn:
        own = link_repo.flight_of(conn, [traveller_id])
        if not own:
            raise NotFoundError(f"no traveller {traveller_id} (see firstline travellers)")
        graph = scoped_graph(conn, traveller_id, hops=hops, common_cap=common_cap)
        net = graph.neighbourhood_graph(traveller_id, hops)
        people = {r.traveller_id: r for r in link_repo.picture_rows(conn, sorted(net.hops_of))}
        flagged = link_repo.current_hit_holders(conn, sorted(net.hops_of))
    ids, nodes, edges = _layout_input(net, people, flagged)
    drawn = layout(nodes, edges)
    return {
        "traveller_id": traveller_id,
        "flight_id": own[traveller_id],
        "hops": hops,
        "width": drawn.width,
        "height": drawn.height,
        "left_out": drawn.left_out,
        "nodes": [_node(p.node, p.x, p.y, ids, people) for p in drawn.nodes],
        "edges": _edges(drawn, ids),
        "damped": [
            {
                "kind": p.kind,
                "value": p.shown(),
                "travellers": graph.holder_count(p),
                "words": _words_message(p.kind),
                "value_words": _shown_message(p.kind, p.shown()),
            }
            for p in sorted(
                graph.pivots_of.get(traveller_id, set()), key=lambda p: (p.kind, p.value)
            )
            if graph.damped(p)
        ],
    }


def _layout_input(
    net: LinkNetwork, people: dict[int, link_repo.PictureRow], flagged: set[int]
) -> tuple[dict[str, int | Connector], list[LayoutNode], list[LayoutEdge]]:
    """Nodes and edges in a stable order: travellers by hops then id, each connector after
    the closest traveller it links (sets hold pivots in a per-process hash order)."""
    around: dict[Connector, list[int]] = {}
    for traveller, connector in net.edges:
        around.setdefault(connector, []).append(traveller)
    hops_of = net.hops_of
    connectors = sorted(around, key=lambda c: (min(hops_of[t] for t in around[c]),
                                               min(around[c]), c.via, c.shown, c.key))  # fmt: skip
    ids: dict[str, int | Connector] = {
        f"t{t}": t for t in sorted(hops_of, key=lambda t: (hops_of[t], t))
    }
    names = {c: f"c{n}" for n, c in enumerate(connectors, start=1)}
    ids.update({name: c for c, name in names.items()})
    nodes = [_traveller_node(t, hops_of[t], t == net.centre, people, flagged)
             for t in sorted(hops_of, key=lambda t: (hops_of[t], t))]  # fmt: skip
    nodes += [
        LayoutNode(names[c], "booking" if c.via == "booking" else "pivot", _words(c),
                   min(hops_of[t] for t in around[c]) + 0.5)
        for c in connectors
    ]  # fmt: skip
    edges = sorted(
        (LayoutEdge(f"t{t}", names[c], _words(c, value=True)) for t, c in net.edges),
        key=lambda e: (hops_of[int(e.a[1:])], int(e.a[1:]), int(e.b[1:])),
    )
    return ids, nodes, edges


def _traveller_node(
    traveller: int,
    hops: int,
    centre: bool,
    people: dict[int, link_repo.PictureRow],
    flagged: set[int],
) -> LayoutNode:
    row = people.get(traveller)
    name = " ".join(x for x in (row.surname, row.given_names) if x) if row else ""
    return LayoutNode(f"t{traveller}", "traveller", f"#{traveller} {name}".strip(), hops,
                      hit=traveller in flagged, centre=centre)  # fmt: skip


# What the picture calls a link, by `Connector.via` (the picture's colours go by these
# English words; pages translate them: the nodes, edges and damped identifiers carry them as
# messages, firstline.texts, under "words").
LINK_WORDS = {
    "booking": N_("booking"), "phone": N_("phone"), "email": N_("e-mail"),
    "card": N_("card"), "document": N_("document"), "agency": N_("agency"),
    "address": N_("address"), "frequent_flyer": N_("frequent flyer"),
    "adjacent seat": N_("seat"), "consecutive check-in": N_("check-in"),
    "consecutive bag tags": N_("bag tags"),
}  # fmt: skip
# A link with what it is: "phone: +33...678".
LINK_WITH_VALUE = N_("{link}: {value}")


def _words(connector: Connector, *, value: bool = False) -> str:
    """A connector as analysts read it: its kind, and with `value` what it is."""
    return said(_words_message(connector.via, connector.shown if value else ""))


def _words_message(via: str, shown: str = "") -> Message:
    """A link's kind (and what it is, when `shown`) as a message."""
    kind = message(LINK_WORDS.get(via, via))
    if not shown:
        return kind
    return message(LINK_WITH_VALUE, {"link": kind, "value": _shown_message(via, shown)})


def _shown_message(via: str, shown: str) -> Message | str:
    """What an identifier is: a card in words (translated), other values as they are."""
    return message(shown) if via == "card" else shown


def _flight_words(row: link_repo.PictureRow | None) -> str:
    if row is None:
        return ""
    flight = f"{row.carrier or ''}{row.number or ''}"
    return f"{flight} {row.departure_date.isoformat()}" if row.departure_date else flight


def _node(
    node: LayoutNode,
    x: float,
    y: float,
    ids: dict[str, int | Connector],
    people: dict[int, link_repo.PictureRow],
) -> dict[str, Any]:
    """One node of the picture; the same keys for travellers and connectors."""
    item = ids[node.id]
    if isinstance(item, Connector):
        return {"id": node.id, "kind": node.kind, "link": _words(item), "label": _words(item),
                "detail": item.shown, "hops": node.hops, "x": x, "y": y, "centre": False,
                "hit": False, "traveller_id": None, "flight_id": None, "href": None,
                "words": _words_message(item.via),
                "title_words": _words_message(item.via, item.shown)}  # fmt: skip
    row = people.get(item)
    return {"id": node.id, "kind": "traveller", "link": None, "label": node.label,
            "detail": _flight_words(row), "hops": node.hops, "x": x, "y": y,
            "centre": node.centre, "hit": node.hit, "traveller_id": item,
            "flight_id": row.flight_id if row else None,
            "href": f"/travellers/{item}", "words": None, "title_words": None}  # fmt: skip


def _edges(drawn: Layout, ids: dict[str, int | Connector]) -> list[dict[str, Any]]:
    at = {p.node.id: p for p in drawn.nodes}
    out = []
    for e in drawn.edges:
        connector = ids[e.b]
        words = (
            _words_message(connector.via, connector.shown)
            if isinstance(connector, Connector)
            else e.label
        )
        out.append(
            {"a": e.a, "b": e.b, "label": e.label, "link": at[e.b].node.label, "words": words,
             "x1": at[e.a].x, "y1": at[e.a].y, "x2": at[e.b].x, "y2": at[e.b].y}
        )  # fmt: skip
    return out
