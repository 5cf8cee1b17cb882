"""Entry point from bytes to domain messages: detect the format, tokenize, map."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from firstline.exc import ParseError, UnsupportedMessageError
from firstline.ingest.edifact.envelope import read_interchange
from firstline.ingest.paxlst import map_paxlst
from firstline.model.message import ParseWarning
from firstline.model.travel import PassengerList
from firstline.perf import without_gc


@dataclass(slots=True)
class ReadResult:
    """Everything read from one delivery (one file or one queue message)."""

    format: str
    messages: list[PassengerList] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)


def sniff_format(data: bytes) -> str:
    """`xml`, `edifact` or `unknown`, from the first meaningful bytes."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "xml"
    if b"UNH" in data[:65536] or b"UNB" in head or head.startswith(b"UNA"):
        return "edifact"
    return "unknown"


@without_gc
def read_message(data: bytes, *, today: date | None = None) -> ReadResult:
    """Parse one delivery. Raises ParseError (quarantine) when nothing can be read."""
    kind = sniff_format(data)
    if kind == "xml":
        raise UnsupportedMessageError(
            "PNRGOV XML is not ingested yet",
            expected="UN/EDIFACT PAXLST",
            found="XML document",
        )
    interchange = read_interchange(data)
    result = ReadResult(format="edifact", warnings=list(interchange.warnings))
    when = today or date.today()
    for message in interchange.messages:
        message_type = message.header.message_type
        if message_type != "PAXLST":
            first = message.segments[0]
            raise UnsupportedMessageError(
                f"message type {message_type or '(none)'} is not ingested yet",
                segment="UNH",
                segment_index=first.index,
                offset=first.offset,
                line=interchange.source.line_col(first.offset)[0],
                expected="PAXLST",
                found=message_type,
            )
        result.messages.append(map_paxlst(message, interchange.source, today=when))
    return result


__all__ = ["ParseError", "ReadResult", "read_message", "sniff_format"]
