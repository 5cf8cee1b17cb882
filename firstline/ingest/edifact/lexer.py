"""A tolerant EDIFACT lexer: text in, segments out, every segment knowing where it stood.

Speed matters (a national unit takes millions of segments a day), so the common case, a
message without any release character, is plain `str.split`; only segments that contain the
release character take the escape-aware path. Whitespace and line breaks *between* segments
are skipped; inside values they are kept (the value decoders trim what they must).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from firstline.ingest.edifact.service import ServiceChars

_BETWEEN_SEGMENTS = " \t\r\n\x00\x0b\x0c"


class Segment:
    """One segment: its tag, elements as lists of components, and where it was found.

    Positions `e` (element) and `c` (component) are 1-based as in the implementation guides,
    the tag not counted. Repetitions (syntax 4) are kept apart: `elements` holds the first
    occurrence and `repeats` maps an element position to all of its occurrences.
    """

    __slots__ = ("tag", "_elements", "_raw", "_component", "index", "offset", "end", "repeats")

    def __init__(
        self,
        tag: str,
        elements: list[list[str]] | None,
        index: int,
        offset: int,
        end: int,
        repeats: dict[int, list[list[str]]] | None = None,
        raw: list[str] | None = None,
        component: str = ":",
    ) -> None:
        # The lexer passes `raw` element strings instead of `elements`: components are split
        # on first use, which keeps tokenizing cheap for segments nobody looks into.
        self.tag = tag
        self._elements = elements
        self._raw = raw
        self._component = component
        self.index = index
        self.offset = offset
        self.end = end
        self.repeats = repeats

    @property
    def elements(self) -> list[list[str]]:
        """Elements as lists of components."""
        elements = self._elements
        if elements is None:
            component = self._component
            elements = self._elements = [r.split(component) for r in self._raw or ()]
            self._raw = None
        return elements

    def get(self, e: int, c: int = 1) -> str:
        """Component `c` of element `e`, or "" when absent."""
        raw = self._raw
        if raw is not None:
            # Not split yet: cut just the wanted element (the mapper's hot path).
            if e > len(raw):
                return ""
            value = raw[e - 1]
            if c == 1:
                cut = value.find(self._component)
                return value if cut < 0 else value[:cut]
            parts = value.split(self._component)
            return parts[c - 1] if c <= len(parts) else ""
        elements = self.elements
        if e > len(elements):
            return ""
        components = elements[e - 1]
        return components[c - 1] if c <= len(components) else ""

    def element(self, e: int) -> list[str]:
        """All components of element `e` ([] when absent)."""
        elements = self.elements  # a property: read once
        return elements[e - 1] if e <= len(elements) else []

    def occurrences(self, e: int) -> list[list[str]]:
        """Every repetition of element `e` (one item when not repeated)."""
        repeats = self.repeats
        if repeats and e in repeats:
            return repeats[e]
        elements = self.elements
        return [elements[e - 1]] if e <= len(elements) else []

    def __repr__(self) -> str:
        return f"Segment({self.tag!r}, {self.elements!r}, index={self.index})"


@dataclass(slots=True)
class Source:
    """The decoded text a message came from, to turn offsets into lines and columns."""

    text: str
    chars: ServiceChars
    line_base: int = 0  # lines before `text` in what was received (a teletype wrapper)
    column_base: int = 0  # characters before `text` on its first line
    _line_starts: list[int] = field(default_factory=list)

    def line_col(self, offset: int) -> tuple[int, int]:
        if not self._line_starts:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect_right(self._line_starts, offset)
        column = offset - self._line_starts[line - 1] + 1
        if line == 1:
            column += self.column_base
        return line + self.line_base, column

    def element_offset(self, segment: Segment, e: int, c: int = 1) -> int:
        """Character offset of element `e`, component `c` of `segment` in the text."""
        text, chars = self.text, self.chars
        pos, seen_e, seen_c = segment.offset, 0, 1
        while pos < segment.end and (seen_e < e or seen_c < c):
            ch = text[pos]
            if ch == chars.release:
                pos += 2
                continue
            if ch == chars.element or (chars.repetition and ch == chars.repetition):
                seen_e, seen_c = seen_e + 1, 1
            elif ch == chars.component and seen_e == e:
                seen_c += 1
            pos += 1
        return pos


def tokenize(
    text: str,
    chars: ServiceChars,
    start: int = 0,
    junk: list[tuple[int, str]] | None = None,
) -> list[Segment]:
    """Split `text` from `start` into segments using `chars`; never raises on content.

    Text on its own line(s) before a segment tag (comments, teletype lines) is skipped and,
    when `junk` is given, recorded there as (offset, text).
    """
    release = chars.release
    escaped = bool(release) and release in text  # type: ignore[operator]
    body = text[start:] if start else text
    pieces = (
        _split_escaped(body, chars.terminator, release)  # type: ignore[arg-type]
        if escaped
        else body.split(chars.terminator)
    )
    segments: list[Segment] = []
    offset = start
    elem, comp, rep = chars.element, chars.component, chars.repetition
    index = 0
    append = segments.append
    for piece in pieces:
        offset += len(piece) + 1
        stripped = piece.lstrip(_BETWEEN_SEGMENTS)
        if not stripped:
            continue
        # Only leading text is ever stripped, so a segment ends where its piece ends.
        end = offset - 1
        if "\n" in stripped:  # rare: only then can there be junk before the tag
            first_sep = stripped.find(elem)
            tag_field = stripped if first_sep < 0 else stripped[:first_sep]
            if "\n" in tag_field:
                cut = tag_field.rfind("\n") + 1
                if junk is not None:
                    junk.append((end - len(stripped), stripped[:cut].strip()))
                stripped = stripped[cut:].lstrip(_BETWEEN_SEGMENTS)
                if not stripped:
                    continue
        seg_offset = end - len(stripped)
        index += 1
        if escaped and release in stripped:  # type: ignore[operator]
            append(_escaped_segment(stripped, chars, index, seg_offset, end))
            continue
        raw = stripped.split(elem)
        tag = raw[0].rstrip(_BETWEEN_SEGMENTS)
        del raw[0]
        if rep and rep in stripped:
            elements = [r.split(comp) for r in raw]
            repeats = {}
            for position, value in enumerate(raw, start=1):
                if rep in value:
                    occurrences = [o.split(comp) for o in value.split(rep)]
                    repeats[position] = occurrences
                    elements[position - 1] = occurrences[0]
            append(Segment(tag, elements, index, seg_offset, end, repeats))
            continue
        append(Segment(tag, None, index, seg_offset, end, None, raw, comp))
    return segments


def _split_escaped(text: str, sep: str, release: str) -> list[str]:
    """`text.split(sep)`, except where `sep` is preceded by an odd run of release characters."""
    parts = text.split(sep)
    if release + sep not in text:  # no separator is preceded by a release character
        return parts
    merged: list[str] = []
    carry: list[str] = []
    for part in parts:
        # `sep` ends any run of release characters, so only the new part's tail counts;
        # joining the carried parts once keeps long runs of escaped separators linear.
        trailing = len(part) - len(part.rstrip(release))
        if trailing % 2 == 1:
            carry.append(part)
        elif carry:
            carry.append(part)
            merged.append(sep.join(carry))
            carry = []
        else:
            merged.append(part)
    if carry:
        merged.append(sep.join(carry))
    return merged


def _unescape(value: str, release: str) -> str:
    if release not in value:
        return value
    out: list[str] = []
    i, n = 0, len(value)
    while i < n:
        ch = value[i]
        if ch == release and i + 1 < n:
            out.append(value[i + 1])
            i += 2
            continue
        if ch != release:  # a dangling release at the very end carries nothing
            out.append(ch)
        i += 1
    return "".join(out)


def _escaped_segment(text: str, chars: ServiceChars, index: int, offset: int, end: int) -> Segment:
    release = chars.release or ""
    raw = _split_escaped(text, chars.element, release)
    tag = _unescape(raw[0], release).rstrip(_BETWEEN_SEGMENTS)
    elements: list[list[str]] = []
    repeats: dict[int, list[list[str]]] = {}
    for position, value in enumerate(raw[1:], start=1):
        occurrences_raw = (
            _split_escaped(value, chars.repetition, release) if chars.repetition else [value]
        )
        occurrences = [
            [_unescape(c, release) for c in _split_escaped(o, chars.component, release)]
            for o in occurrences_raw
        ]
        elements.append(occurrences[0])
        if len(occurrences) > 1:
            repeats[position] = occurrences
    return Segment(tag, elements, index, offset, end, repeats or None)
