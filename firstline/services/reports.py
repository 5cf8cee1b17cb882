"""Reports handed on outside firstline: the case file of a hit, as a PDF.

A case file carries personal data out of the system, so building one needs both the hits and
the travellers permissions and is audited as an export, in the transaction that reads it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from firstline.cases.access import Actor, Permission
from firstline.exc import NotFoundError
from firstline.reports.case_file import CaseFile, Voice, render
from firstline.services import audit
from firstline.services.access import require
from firstline.store import Store
from firstline.store.repos import cases as case_repo
from firstline.store.repos import workplace as place_repo


def case_file(
    store: Store,
    actor: Actor,
    hit_id: int,
    *,
    timezone: str = "UTC",
    client: str | None = None,
    voice: Voice | None = None,
) -> bytes:
    """The PDF case file of a hit: the traveller, the flight, every hit on the traveller with
    its explanation and decisions, the lookout and its outcome, the notes; in the language of
    `voice` (English by default)."""
    require(actor, Permission.VIEW_HITS)
    require(actor, Permission.VIEW_TRAVELLERS)
    with store.begin() as conn:
        row = case_repo.hit_row(conn, hit_id)
        if row is None:
            raise NotFoundError(f"no hit {hit_id}")
        traveller_id = int(row["traveller_id"])
        traveller = dict(place_repo.traveller(conn, traveller_id) or {})
        hits: list[dict[str, Any]] = []
        for found in case_repo.hits_of_traveller(conn, traveller_id):
            item = dict(found)
            item["decisions"] = [dict(d) for d in case_repo.decisions_of(conn, int(found["id"]))]
            lookout = case_repo.lookout_list(conn, hit_id=int(found["id"]), limit=1)
            item["lookout"] = dict(lookout[0]) if lookout else None
            hits.append(item)
        hits.sort(key=lambda h: h["id"] != hit_id)  # the asked-for hit first
        if not hits or hits[0]["id"] != hit_id:  # a shadow hit is not on the traveller's list
            hits.insert(0, {**dict(row), "decisions": [], "lookout": None})
        case = CaseFile(
            hit_id=hit_id,
            traveller=traveller,
            documents=[dict(d) for d in place_repo.documents(conn, traveller_id)],
            flight=dict(place_repo.flight(conn, int(row["flight_id"])) or {}),
            hits=hits,
            notes=[dict(n) for n in case_repo.notes_of(conn, traveller_id)],
            generated_by=actor.display_name or actor.username,
            generated_at=datetime.now(UTC).astimezone(ZoneInfo(timezone)),
        )
        audit.record(
            conn, actor, "export", object_type="hit", object_id=hit_id,
            detail={
                "what": "case_file", "format": "pdf", "traveller_id": traveller_id,
                "hits": len(hits), "rows": sum(len(h["decisions"]) for h in hits),
                "notes": len(case.notes),
            },
            client=client,
        )  # fmt: skip
    return render(case, voice)
