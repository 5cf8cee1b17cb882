"""Interchange envelope: teletype wrappers, UNB/UNG/UNH/UNT/UNE/UNZ and their counts.

Nothing here assumes a strict order. Count mismatches, a missing UNT or a stray UNE are
warnings; only text without any message header is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from firstline.exc import ParseError
from firstline.ingest.edifact import service
from firstline.ingest.edifact.lexer import Segment, Source, tokenize
from firstline.model.message import MessageHeader, ParseWarning
from firstline.perf import without_gc
from firstline.texts import N_

_SOH, _STX, _ETX = "\x01", "\x02", "\x03"
_FIRST_SEGMENT = re.compile(r"(?m)^[ \t]*(UNA|UNB|UNH)")
_SERVICE_TAGS = frozenset({"UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"})


@dataclass(slots=True)
class EdifactMessage:
    """One UNH..UNT message with its envelope facts and the warnings found so far."""

    header: MessageHeader
    segments: list[Segment]
    warnings: list[ParseWarning] = field(default_factory=list)


@dataclass(slots=True)
class Interchange:
    source: Source
    messages: list[EdifactMessage]
    warnings: list[ParseWarning] = field(default_factory=list)

    def warn(self, segment: Segment | None, code: str, message: str, **kw: Any) -> ParseWarning:
        return make_warning(self.source, segment, code, message, **kw)


def make_warning(
    source: Source,
    segment: Segment | None,
    code: str,
    message: str,
    *,
    element: int | None = None,
    component: int | None = None,
    expected: object = None,
    found: object = None,
) -> ParseWarning:
    """A warning pointing at `segment` (and optionally one of its elements) in `source`."""
    line = column = None
    if segment is not None:
        offset = segment.offset
        if element is not None:
            offset = source.element_offset(segment, element, component or 1)
        line, column = source.line_col(offset)
    return ParseWarning(
        code=code,
        message=message,
        segment=segment.tag if segment is not None else None,
        segment_index=segment.index if segment is not None else None,
        line=line,
        column=column,
        element=element,
        component=component,
        expected=None if expected is None else str(expected),
        found=None if found is None else str(found),
    )


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 when valid, otherwise ISO 8859-1 (UNOC), which never fails."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def strip_wrappers(text: str) -> tuple[str, list[ParseWarning]]:
    """Remove a Type B teletype wrapper (SOH address lines, STX ... ETX) and a UTF-8 BOM."""
    start, end, warnings = _message_bounds(text)
    return text[start:end], warnings


def _message_bounds(text: str) -> tuple[int, int, list[ParseWarning]]:
    """Where the EDIFACT inside `text` starts and ends, so positions can refer to `text`."""
    warnings: list[ParseWarning] = []
    start, end = len(text) - len(text.lstrip("\ufeff")), len(text)
    stx = text.find(_STX, start)
    if stx >= 0:
        start = stx + 1
        etx = text.rfind(_ETX, start)
        if etx >= 0:
            end = etx
        warnings.append(ParseWarning(code="teletype_wrapper", message="Type B envelope removed"))
    body = text[start:end]
    match = _FIRST_SEGMENT.search(body)
    if match is None:
        found = body.strip()[:20]
        raise ParseError(
            N_("no EDIFACT message found"),
            expected=N_("UNA, UNB or UNH"),
            found=found,
            offset=0,
        )
    if body[: match.start(1)].strip(" \t\r\n" + _SOH):
        warnings.append(
            ParseWarning(
                code="leading_text",
                message="text before the first segment ignored (teletype address lines?)",
                line=1,
                expected="UNA, UNB or UNH",
                found=body[: match.start(1)].strip()[:40],
            )
        )
    return start + match.start(1), end, warnings


@without_gc
def read_interchange(data: bytes | str) -> Interchange:
    """Tokenize `data` and split it into messages; raises ParseError only if hopeless."""
    original = decode(data) if isinstance(data, bytes) else data
    begin, end, warnings = _message_bounds(original)
    text = original[begin:end]
    chars, start, una_warnings = service.detect(text)
    warnings.extend(una_warnings)
    # Lines and columns point into the text as received, wrapper lines included.
    removed = original[:begin]
    line_base = removed.count("\n")
    source = Source(text, chars, line_base, begin - (removed.rfind("\n") + 1))
    junk: list[tuple[int, str]] = []
    segments = tokenize(text, chars, start, junk)
    interchange = Interchange(source, [], warnings)
    for offset, skipped in junk:
        line, column = source.line_col(offset)
        warnings.append(
            ParseWarning(
                code="junk_between_segments",
                message="text between segments ignored",
                line=line,
                column=column,
                expected="a segment tag",
                found=skipped[:40],
            )
        )
    _split_messages(interchange, segments)
    _reject_truncated(interchange, segments, text)
    if not interchange.messages:
        first = segments[0] if segments else None
        raise ParseError(
            N_("no UNH message header found"),
            segment=first.tag if first else None,
            segment_index=first.index if first else None,
            offset=first.offset if first else 0,
            expected="UNH",
            found=first.tag if first else "",
        )
    return interchange


def _reject_truncated(interchange: Interchange, segments: list[Segment], text: str) -> None:
    """A transfer cut off mid-segment (no terminator at the end, the last message without UNT
    and no UNZ) lost an unknown part of the message: it cannot be loaded as if complete."""
    if not interchange.messages or any(seg.tag == "UNZ" for seg in segments):
        return
    chars = interchange.source.chars
    if chars.terminator in "\r\n":  # terminator guessed from line ends: cannot tell
        return
    last = interchange.messages[-1].segments[-1]
    tail = text.rstrip(" \t\r\n\x00\x1a")
    ended = tail.endswith(chars.terminator) and not (
        chars.release and tail.endswith(chars.release + chars.terminator)
    )
    if last.tag != "UNT" and not ended:
        raise ParseError(
            N_("interchange truncated: it stops inside a segment, without UNT or UNZ"),
            segment=last.tag,
            segment_index=last.index,
            offset=last.offset,
            expected=N_("a segment terminator {terminator}, UNT and UNZ"),
            found=tail[-20:],
            params={"terminator": repr(chars.terminator)},
        )


@dataclass(slots=True)
class _Envelope:
    unb: Segment | None = None
    ung: Segment | None = None
    groups: int = 0
    messages: int = 0
    group_messages: int = 0


def _split_messages(interchange: Interchange, segments: list[Segment]) -> None:
    env = _Envelope()
    current: EdifactMessage | None = None
    warn = interchange.warn
    for seg in segments:
        tag = seg.tag
        if current is not None and tag not in (
            "UNT",
            "UNH",
            "UNE",
            "UNZ",
            "UNB",
            "UNG",
        ):
            current.segments.append(seg)
            continue
        if tag == "UNH":
            if current is not None:
                current.warnings.append(
                    warn(
                        seg,
                        "missing_unt",
                        "message ended without UNT",
                        expected="UNT",
                        found="UNH",
                    )
                )
            current = EdifactMessage(_header(seg, env), [seg])
            interchange.messages.append(current)
            env.messages += 1
            env.group_messages += 1
        elif tag == "UNT":
            if current is None:
                interchange.warnings.append(warn(seg, "stray_unt", "UNT outside a message"))
                continue
            current.segments.append(seg)
            _check_unt(interchange, current, seg)
            current = None
        elif tag == "UNB":
            env.unb = seg
        elif tag == "UNG":
            env.ung, env.group_messages = seg, 0
            env.groups += 1
        elif tag == "UNE":
            _check_count(interchange, seg, "UNE", env.group_messages, "messages in the group")
            if env.ung is None:
                interchange.warnings.append(warn(seg, "stray_une", "UNE without UNG"))
        elif tag == "UNZ":
            counted = env.groups if env.groups else env.messages
            _check_count(interchange, seg, "UNZ", counted, "groups or messages")
        elif tag == "UNA":
            interchange.warnings.append(warn(seg, "misplaced_una", "UNA not at the start"))
        else:
            interchange.warnings.append(
                warn(
                    seg,
                    "outside_message",
                    f"segment {tag} outside UNH..UNT ignored",
                    found=tag,
                )
            )
    if current is not None:
        last = current.segments[-1]
        current.warnings.append(
            warn(
                last,
                "missing_unt",
                "message ended without UNT",
                expected="UNT",
                found="end",
            )
        )


def _check_unt(interchange: Interchange, message: EdifactMessage, unt: Segment) -> None:
    declared, actual = unt.get(1), len(message.segments)
    if declared != str(actual):
        message.warnings.append(
            interchange.warn(
                unt,
                "unt_count",
                "UNT segment count differs from the segments UNH..UNT",
                element=1,
                expected=actual,
                found=declared,
            )
        )
    ref = message.header.message_reference
    if unt.get(2) != (ref or ""):
        message.warnings.append(
            interchange.warn(
                unt,
                "unt_reference",
                "UNT reference differs from UNH",
                element=2,
                expected=ref,
                found=unt.get(2),
            )
        )


def _check_count(interchange: Interchange, seg: Segment, tag: str, actual: int, what: str) -> None:
    declared = seg.get(1)
    if declared != str(actual):
        interchange.warnings.append(
            interchange.warn(
                seg,
                f"{tag.lower()}_count",
                f"{tag} count of {what} differs",
                element=1,
                expected=actual,
                found=declared,
            )
        )


def _header(unh: Segment, env: _Envelope) -> MessageHeader:
    unb, ung = env.unb, env.ung
    status = unh.get(4)
    # isdigit() alone lets "²" and 5000-digit numbers through to int(), which raises.
    part = int(status) if status.isascii() and status.isdigit() and len(status) <= 9 else None
    last_flag = unh.get(4, 2)
    directory = unh.get(2, 2)
    if unh.get(2, 3):
        directory = f"{directory}:{unh.get(2, 3)}" if directory else unh.get(2, 3)
    header = MessageHeader(
        message_type=unh.get(2, 1),
        directory=directory or None,
        message_reference=unh.get(1) or None,
        common_access_reference=unh.get(3) or None,
        part_number=part,
        # No S010 at all means a message complete in itself; a number without C/F is a middle part.
        is_last_part=(last_flag == "F") if status else True,
        profile=unh.get(2, 5) or None,
    )
    if unb is not None:
        header.syntax = ":".join(x for x in unb.element(1) if x) or None
        header.sender = unb.get(2) or None
        header.recipient = unb.get(3) or None
        header.prepared_at = ":".join(x for x in unb.element(4) if x) or None
        header.interchange_reference = unb.get(5) or None
        header.application_reference = unb.get(7) or None
    if ung is not None:
        header.sender = header.sender or ung.get(2) or None
        header.recipient = header.recipient or ung.get(3) or None
        header.extra["group_sender"] = ung.get(2)
        header.extra["group_reference"] = ung.get(5)
    return header
