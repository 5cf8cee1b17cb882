"""The flights board and a flight's manifest, as pages and as JSON."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from firstline.cases.access import Actor, Permission
from firstline.services import workplace
from firstline.web.deps import SettingsDep, StoreDep, client_of, needs
from firstline.web.render import page

router = APIRouter()
BOARD_PAGE = 100
Viewer = Annotated[Actor, Depends(needs(Permission.VIEW_FLIGHTS))]


@router.get("/flights", response_class=HTMLResponse, include_in_schema=False)
def board_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Viewer,
    hours: int = workplace.BOARD_HOURS,
    direction: str = "",
    carrier: str = "",
    with_hits: bool = False,
    offset: int = 0,
) -> HTMLResponse:
    board = workplace.board(
        store, actor, timezone=settings.timezone, hours=hours, direction=direction,
        carrier=carrier, with_hits=with_hits,
    )  # fmt: skip
    # A page of the soonest flights: three days of a national hub are hundreds of rows.
    offset = max(0, offset)
    total = len(board["flights"])
    board["flights"] = board["flights"][offset : offset + BOARD_PAGE]
    query = urlencode(
        {k: v for k, v in {"hours": hours, "direction": direction, "carrier": carrier,
                           "with_hits": "true" if with_hits else ""}.items() if v}
    )  # fmt: skip
    context = {
        **board, "direction": direction, "carrier": carrier, "with_hits": with_hits,
        "total": total, "offset": offset, "page_size": BOARD_PAGE, "query": query,
    }  # fmt: skip
    template = "_flight_rows.html" if request.headers.get("hx-request") else "flights.html"
    return page(request, template, context)


@router.get("/flights/{flight_id}", response_class=HTMLResponse, include_in_schema=False)
def flight_page(request: Request, store: StoreDep, actor: Viewer, flight_id: int) -> HTMLResponse:
    flight = workplace.flight_page(store, actor, flight_id)
    if flight["travellers"]:
        workplace.record_manifest_view(
            store, actor, flight_id, len(flight["travellers"]), client_of(request)
        )
    return page(request, "flight.html", {"flight": flight})


@router.get("/api/v1/flights", tags=["flights"])
def board_json(
    store: StoreDep,
    settings: SettingsDep,
    actor: Viewer,
    hours: int = workplace.BOARD_HOURS,
    direction: str = "",
    carrier: str = "",
    with_hits: bool = False,
) -> dict[str, Any]:
    """Flights arriving or departing in the next `hours`, with travellers and open hits by
    severity; `direction` is `arrivals` or `departures` (by the unit's home airports)."""
    return workplace.board(
        store, actor, timezone=settings.timezone, hours=hours, direction=direction,
        carrier=carrier, with_hits=with_hits,
    )  # fmt: skip


@router.get("/api/v1/flights/{flight_id}", tags=["flights"])
def flight_json(request: Request, store: StoreDep, actor: Viewer, flight_id: int) -> Any:
    """A flight and its manifest (travellers, sources, first document, open hits)."""
    flight = workplace.flight_page(store, actor, flight_id)
    if flight["travellers"]:
        workplace.record_manifest_view(
            store, actor, flight_id, len(flight["travellers"]), client_of(request)
        )
    return flight
