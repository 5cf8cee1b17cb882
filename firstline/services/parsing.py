"""Parse files without storing them: the `firstline parse` use case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from firstline.exc import FirstlineError, ParseError
from firstline.ingest.multipart import is_part, reassemble
from firstline.ingest.options import ParseOptions
from firstline.ingest.reader import read_message, sniff_format
from firstline.model.booking import PnrPush
from firstline.model.serialize import passenger_list_view, pnr_push_view
from firstline.model.travel import PassengerList


@dataclass(slots=True)
class ParsedFile:
    path: str
    format: str
    status: str  # parsed / error
    messages: list[PassengerList] = field(default_factory=list)
    pushes: list[PnrPush] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, Any] | None = None


def parse_files(
    paths: list[Path], *, today: date | None = None, options: ParseOptions | None = None
) -> list[ParsedFile]:
    out: list[ParsedFile] = []
    for path in paths:
        raw = path.read_bytes()
        parsed = ParsedFile(path=str(path), format=sniff_format(raw), status="parsed")
        try:
            result = read_message(raw, today=today, options=options)
        except FirstlineError as exc:
            parsed.status = "error"
            detail = exc.detail() if isinstance(exc, ParseError) else {"reason": str(exc)}
            parsed.error = {"code": exc.code, **detail}
        else:
            parsed.messages = result.messages
            parsed.pushes = result.pushes
            parsed.warnings = [w.as_dict() for w in result.warnings]
        out.append(parsed)
    return out


def parse_report(files: list[ParsedFile]) -> dict[str, Any]:
    """JSON document for `firstline parse --json` (shape in docs/parse-json.md)."""
    parts = [m for f in files for m in f.messages if is_part(m)]
    return {
        "files": [
            {
                "path": f.path,
                "format": f.format,
                "status": f.status,
                "error": f.error,
                "warnings": f.warnings,
                "messages": [passenger_list_view(m) for m in f.messages]
                + [pnr_push_view(p) for p in f.pushes],
            }
            for f in files
        ],
        # Multi-part series found among the files, each reassembled into one list.
        "series": [passenger_list_view(m) for m in reassemble(parts)],
    }
