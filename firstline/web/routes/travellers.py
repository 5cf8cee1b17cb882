"""A traveller's page (every fact with its source, booking, history, hits, network, notes),
the traveller search, and their JSON counterparts. Every view is audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from firstline.cases.access import Actor, Permission
from firstline.exc import FirstlineError
from firstline.services import audit, cases, links, workplace
from firstline.web.deps import StoreDep, client_of, needs
from firstline.web.i18n import N_
from firstline.web.render import page

router = APIRouter()
Viewer = Annotated[Actor, Depends(needs(Permission.VIEW_TRAVELLERS))]
Searcher = Annotated[Actor, Depends(needs(Permission.SEARCH))]
Writer = Annotated[Actor, Depends(needs(Permission.WRITE_NOTES))]

# Facts shown on the page, in order, with the provenance key each is stored under (names
# translated by the page).
FACTS = (
    ("surname", N_("Surname")),
    ("given_names", N_("Given names")),
    ("gender", N_("Gender")),
    ("date_of_birth", N_("Date of birth")),
    ("nationality", N_("Nationality")),
    ("country_of_residence", N_("Residence")),
    ("place_of_birth", N_("Place of birth")),
    ("role", N_("Role")),
    ("port_of_embarkation", N_("Embarks at")),
    ("port_of_debarkation", N_("Disembarks at")),
    ("seat", N_("Seat")),
    ("checked_bags", N_("Checked bags")),
    ("bag_weight_kg", N_("Bag weight (kg)")),
    ("ticket_number", N_("Ticket")),
    ("passenger_reference", N_("Passenger reference")),
)


@router.get("/travellers/{traveller_id}", response_class=HTMLResponse, include_in_schema=False)
def traveller_page(
    request: Request, store: StoreDep, actor: Viewer, traveller_id: int
) -> HTMLResponse:
    traveller = workplace.traveller_page(store, actor, traveller_id, client=client_of(request))
    try:
        picture: dict[str, Any] | None = links.network_picture(store, traveller_id, hops=2)
    except FirstlineError:
        picture = None
    return page(request, "traveller.html", {"t": traveller, "facts": FACTS, "picture": picture})


@router.post("/travellers/{traveller_id}/notes", include_in_schema=False)
def add_note_form(
    request: Request,
    store: StoreDep,
    actor: Writer,
    traveller_id: int,
    text: Annotated[str, Form()],
) -> Response:
    cases.add_note(store, actor, traveller_id, text, client=client_of(request))
    return RedirectResponse(f"/travellers/{traveller_id}#notes", status_code=303)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    store: StoreDep,
    actor: Searcher,
    surname: str = "",
    document: str = "",
    locator: str = "",
    reason: str = "",
) -> HTMLResponse:
    results = None
    error = None
    if surname or document or locator:
        try:
            results = workplace.search(
                store, actor, surname=surname, document=document, locator=locator,
                reason=reason, client=client_of(request),
            )  # fmt: skip
        except FirstlineError as exc:
            error = str(exc)
    context = {
        "results": results, "error": error, "surname": surname, "document": document,
        "locator": locator, "reason": reason,
    }  # fmt: skip
    return page(request, "search.html", context)


@router.get("/api/v1/travellers/{traveller_id}", tags=["travellers"])
def traveller_json(request: Request, store: StoreDep, actor: Viewer, traveller_id: int) -> Any:
    """Every fact about a traveller with its source message, documents, booking (contacts,
    payments reduced to vendor and last four), co-travellers, the person's other trips,
    hits with explanations, and notes. Audited."""
    return workplace.traveller_page(store, actor, traveller_id, client=client_of(request))


@router.get("/api/v1/travellers/{traveller_id}/network", tags=["travellers"])
def network_json(
    request: Request, store: StoreDep, actor: Viewer, traveller_id: int, hops: int = 2
) -> Any:
    """The traveller's link network within `hops`: nodes (travellers, bookings, shared
    identifiers) with positions, and edges. Audited (it names the linked travellers)."""
    picture = links.network_picture(store, traveller_id, hops=max(1, min(hops, 3)))
    audit.log(
        store, actor, "view_network", object_type="traveller", object_id=traveller_id,
        detail={"hops": picture["hops"], "nodes": len(picture["nodes"])},
        client=client_of(request),
    )  # fmt: skip
    return picture


@router.get("/api/v1/search", tags=["travellers"])
def search_json(
    request: Request,
    store: StoreDep,
    actor: Searcher,
    surname: str = "",
    document: str = "",
    locator: str = "",
    reason: str = "",
) -> list[dict[str, Any]]:
    """Travellers by surname prefix, document number or booking locator. Audited with the
    terms and the reason."""
    return workplace.search(
        store, actor, surname=surname, document=document, locator=locator, reason=reason,
        client=client_of(request),
    )  # fmt: skip


class NoteIn(BaseModel):
    text: str


@router.post("/api/v1/travellers/{traveller_id}/notes", tags=["travellers"], status_code=201)
def add_note_json(
    request: Request, store: StoreDep, actor: Writer, traveller_id: int, note: NoteIn
) -> dict[str, str]:
    """Add a note to a traveller."""
    cases.add_note(store, actor, traveller_id, note.text, client=client_of(request))
    return {"status": "created"}
