"""Entry point from bytes to domain messages: detect the format, tokenize, map, filter.

API (PAXLST) and PNR (PNRGOV EDIFACT or XML) take the same road: one delivery in, typed
messages and warnings out, or a `ParseError` saying where and why. PNR passes through the
sensitive-data filter here, so nothing downstream ever sees what must not be processed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from firstline.exc import ParseError, UnsupportedMessageError
from firstline.ingest.adapters import unwrap
from firstline.ingest.edifact.envelope import read_interchange
from firstline.ingest.options import ParseOptions
from firstline.ingest.paxlst import map_paxlst
from firstline.ingest.pnrgov import map_pnrgov
from firstline.ingest.pnrgov_xml import read_pnrgov_xml
from firstline.ingest.sensitive import filter_push
from firstline.model.booking import PnrPush
from firstline.model.message import ParseWarning
from firstline.model.travel import PassengerList
from firstline.perf import without_gc
from firstline.texts import N_

SUPPORTED = ("PAXLST", "PNRGOV")


@dataclass(slots=True)
class ReadResult:
    """Everything read from one delivery (one file or one queue message)."""

    format: str
    messages: list[PassengerList] = field(default_factory=list)
    pushes: list[PnrPush] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def message_type(self) -> str:
        if self.pushes and self.messages:
            return "mixed"
        return "PNRGOV" if self.pushes else "PAXLST"

    @property
    def traveller_count(self) -> int:
        api = sum(len(m.travellers) for m in self.messages)
        return api + sum(len(b.travellers) for p in self.pushes for b in p.bookings)

    @property
    def sensitive_removed(self) -> int:
        return sum(p.sensitive_removed for p in self.pushes)

    def all_warnings(self) -> list[ParseWarning]:
        found = list(self.warnings)
        for message in self.messages:
            found.extend(message.warnings)
        for push in self.pushes:
            found.extend(push.warnings)
        return found


def sniff_format(data: bytes) -> str:
    """`xml`, `edifact` or `unknown`, from the first meaningful bytes."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "xml"
    if b"UNH" in data[:65536] or b"UNB" in head or head.startswith(b"UNA"):
        return "edifact"
    return "unknown"


@without_gc
def read_message(
    data: bytes, *, today: date | None = None, options: ParseOptions | None = None
) -> ReadResult:
    """Parse one delivery. Raises ParseError (quarantine) when nothing can be read."""
    if options is None:
        options = ParseOptions(today=today) if today else ParseOptions()
    data, adapter = unwrap(data, options.adapters)
    opened = [_opened_by(adapter)] if adapter else []
    if sniff_format(data) == "xml":
        push = read_pnrgov_xml(data, options=options)
        filter_push(push)
        return ReadResult(format="xml", pushes=[push], warnings=opened)
    interchange = read_interchange(data)
    result = ReadResult(format="edifact", warnings=[*opened, *interchange.warnings])
    for message in interchange.messages:
        message_type = message.header.message_type
        if message_type == "PAXLST":
            result.messages.append(map_paxlst(message, interchange.source, today=options.today))
        elif message_type == "PNRGOV":
            push = map_pnrgov(message, interchange.source, options=options)
            filter_push(push)
            result.pushes.append(push)
        else:
            first = message.segments[0]
            raise UnsupportedMessageError(
                N_("message type {type} is not ingested yet")
                if message_type
                else N_("message type (none) is not ingested yet"),
                segment="UNH",
                segment_index=first.index,
                offset=first.offset,
                line=interchange.source.line_col(first.offset)[0],
                expected=N_("{types} or {last}"),
                found=message_type,
                params={
                    "type": message_type,
                    "types": ", ".join(SUPPORTED[:-1]),
                    "last": SUPPORTED[-1],
                },
            )
    return result


def _opened_by(adapter: str) -> ParseWarning:
    # Not a fault of the message: a note, so that its page says which code read it.
    return ParseWarning(code="adapter", message=f"opened by message adapter {adapter}")


__all__ = ["ParseError", "ReadResult", "read_message", "sniff_format"]
