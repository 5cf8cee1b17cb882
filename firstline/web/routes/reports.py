"""Running the unit: reports handed on outside firstline (the case file of a hit, as PDF)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from firstline.cases.access import Actor, Permission
from firstline.services import access, reports
from firstline.web.deps import SettingsDep, StoreDep, client_of, needs

router = APIRouter()
HitViewer = Annotated[Actor, Depends(needs(Permission.VIEW_HITS))]


@router.get(
    "/api/v1/hits/{hit_id}/case-file.pdf",
    tags=["reports"],
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the case file"}},
)
@router.get("/hits/{hit_id}/case-file.pdf", include_in_schema=False)
def case_file_pdf(
    request: Request, store: StoreDep, settings: SettingsDep, actor: HitViewer, hit_id: int
) -> Response:
    """The hit's case file as PDF: the traveller, the flight, every hit on the traveller with
    its explanation and decisions, the lookout and outcome, the notes. Needs the hits and the
    travellers permissions; audited as an export."""
    access.require(actor, Permission.VIEW_TRAVELLERS.value)
    pdf = reports.case_file(
        store, actor, hit_id, timezone=settings.timezone, client=client_of(request)
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="case-file-hit-{hit_id}.pdf"'},
    )
