"""Running the unit: reports handed on outside firstline (the case file of a hit, as PDF).

The page's link gives the case file in the officer's language (headings, codes, the hits'
explanations and titles, dates and numbers, as the hit's page shows them); the API, which
speaks English, gives it in English with ISO dates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from firstline.cases.access import Actor, Permission
from firstline.reports.case_file import Voice
from firstline.services import access, reports
from firstline.web import i18n
from firstline.web.deps import SettingsDep, StoreDep, client_of, needs
from firstline.web.explanations import explained, hit_title, summary
from firstline.web.labels import label
from firstline.web.render import day, number

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
    page = not request.url.path.startswith("/api/")
    pdf = reports.case_file(
        store, actor, hit_id, timezone=settings.timezone, client=client_of(request),
        voice=_voice() if page else None,
    )  # fmt: skip
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="case-file-hit-{hit_id}.pdf"'},
    )


def _voice() -> Voice:
    """The case file in the request's language, as the hit's page reads."""
    return Voice(
        gettext=i18n.gettext, label=label, summary=summary, explained=explained,
        title=hit_title, day=day, number=number,
    )  # fmt: skip
