"""Untrusted XML read safely, with the line of every element and access by local name.

Parsing goes through defusedxml with document type declarations refused outright: a PNR
push never needs one, and refusing the DTD refuses entity expansion (billion laughs) and
external references with it. ElementTree keeps no source lines, so a small tree builder
records the expat position of every start tag; warnings point at real lines.

A delivery with several top-level elements (a fragment cut out of a larger file) is read a
second time inside a synthetic root; nothing is added before the first line break, so line
numbers stay true.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers.expat import errors as expat_errors

import defusedxml
import defusedxml.ElementTree as safe_etree

from firstline.exc import ParseError
from firstline.texts import N_

_JUNK_AFTER_ROOT = expat_errors.codes[expat_errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT]
_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]{0,300}\?>")
_SYNTHETIC_ROOT = "firstline-synthetic-root"
_POSITION_SUFFIX = re.compile(r":\s*line \d+, column \d+$")


@dataclass(slots=True)
class XmlDocument:
    """A parsed document: its root, where each element starts, and whether it was wrapped."""

    root: Element
    positions: dict[Element, tuple[int, int]] = field(default_factory=dict)
    wrapped: bool = False  # True when the input had no single root element

    def line_of(self, element: Element) -> tuple[int | None, int | None]:
        """1-based line and column of the start tag of `element` (None if unknown)."""
        return self.positions.get(element, (None, None))


class _PositionedBuilder(TreeBuilder):
    """A tree builder that notes where each element starts, from the running expat parser."""

    def __init__(self) -> None:
        super().__init__()
        self.expat: Any = None
        self.positions: dict[Element, tuple[int, int]] = {}

    def start(self, tag: Any, attrs: dict[Any, Any], /) -> Element:
        element = super().start(tag, attrs)
        if self.expat is not None:
            self.positions[element] = (
                self.expat.CurrentLineNumber,
                self.expat.CurrentColumnNumber + 1,
            )
        return element


class _XmlFailure(Exception):
    """A parse attempt failed at (line, column) for `reason`, a template (firstline.texts)
    filled from `params` (which hold the column when it is known)."""

    def __init__(
        self,
        reason: str,
        params: dict[str, str],
        line: int | None,
        column: int | None,
        code: int | None = None,
        expected: str = N_("well-formed XML"),
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params
        self.line = line
        self.column = column
        self.code = code
        self.expected = expected


def load_xml(data: bytes) -> XmlDocument:
    """Parse `data`; raise ParseError (with line and offset) when it is not usable XML."""
    if not data.strip():
        raise ParseError(N_("empty XML document"), expected=N_("an XML element"), found="")
    try:
        root, positions = _parse(data)
        return XmlDocument(root=root, positions=positions)
    except _XmlFailure as failure:
        if failure.code != _JUNK_AFTER_ROOT:
            raise _as_parse_error(failure, data) from None
        first = failure
    wrapped, cut = _wrap(data)
    try:
        root, positions = _parse(wrapped)
    except _XmlFailure as second:
        # Report whichever attempt read further: that is where the document really breaks.
        furthest = max(first, second, key=lambda f: (f.line or 0, f.column or 0))
        raise _as_parse_error(furthest, data) from None
    # Give back the columns the synthetic start tag took on its line.
    line = data[:cut].count(b"\n") + 1
    column = len(data[:cut].rsplit(b"\n", 1)[-1]) + 1
    shift = len(_SYNTHETIC_ROOT) + 2
    for element, (at_line, at_column) in positions.items():
        if at_line == line and at_column > column:
            positions[element] = (at_line, at_column - shift)
    return XmlDocument(root=root, positions=positions, wrapped=True)


def _parse(data: bytes) -> tuple[Element, dict[Element, tuple[int, int]]]:
    builder = _PositionedBuilder()
    parser = safe_etree.DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    expat = parser.parser
    builder.expat = expat
    try:
        parser.feed(data)
        root: Element = parser.close()
    except safe_etree.ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        column = _one_based(column)
        # Expat's own English words ("mismatched tag") stay a parameter.
        problem = expat_errors.messages.get(getattr(exc, "code", -1)) or str(exc)
        params = {"problem": _POSITION_SUFFIX.sub("", problem)}
        reason = N_("XML is not well-formed: {problem}")
        if column is not None:
            reason = N_("XML is not well-formed: {problem} at column {column}")
            params["column"] = str(column)
        raise _XmlFailure(reason, params, line, column, getattr(exc, "code", None)) from None
    except defusedxml.DefusedXmlException as exc:
        column = expat.CurrentColumnNumber + 1
        raise _XmlFailure(
            N_(
                "XML refused ({refusal}): document type declarations, entities and external "
                "references are not accepted in a PNR push at column {column}"
            ),
            {"refusal": type(exc).__name__, "column": str(column)},
            expat.CurrentLineNumber,
            column,
            expected=N_("XML without a DOCTYPE"),
        ) from None
    except (ValueError, LookupError) as exc:  # e.g. an encoding expat cannot use
        raise _XmlFailure(
            N_("XML is unreadable: {error}"), {"error": str(exc)}, None, None
        ) from None
    return root, builder.positions


def _one_based(column: int | None) -> int | None:
    return column + 1 if column is not None else None


def _wrap(data: bytes) -> tuple[bytes, int]:
    """`data` inside a synthetic root, after any XML declaration; and where the root went."""
    match = _DECLARATION.match(data)
    cut = match.end() if match else (3 if data.startswith(b"\xef\xbb\xbf") else 0)
    tag = _SYNTHETIC_ROOT.encode()
    return data[:cut] + b"<" + tag + b">" + data[cut:] + b"</" + tag + b">", cut


def _as_parse_error(failure: _XmlFailure, data: bytes) -> ParseError:
    offset = None
    if failure.line is not None:
        lines = data.split(b"\n", failure.line)
        offset = sum(len(line) + 1 for line in lines[: failure.line - 1])
        offset += (failure.column or 1) - 1
    return ParseError(
        failure.reason,
        line=failure.line,
        offset=offset,
        expected=failure.expected,
        params=failure.params,
    )


def is_synthetic_root(element: Element) -> bool:
    return element.tag == _SYNTHETIC_ROOT


# --- access by local name --------------------------------------------------------------


def local_name(tag: str) -> str:
    """`{http://www.iata.org/IATA/2007/00}Passenger` and `Passenger` both give `Passenger`."""
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def children(element: Element, *names: str) -> list[Element]:
    """Direct children whose local name is one of `names`, in document order."""
    return [c for c in element if local_name(c.tag) in names]


def child(element: Element, *names: str) -> Element | None:
    for candidate in element:
        if local_name(candidate.tag) in names:
            return candidate
    return None


def present(*elements: Element | None) -> Element | None:
    """The first element that is not None (an Element without children is falsy: never `or`)."""
    for element in elements:
        if element is not None:
            return element
    return None


def attr(element: Element | None, *names: str) -> str | None:
    """The first non-blank attribute among `names` (namespace prefixes ignored), stripped."""
    if element is None:
        return None
    for name in names:
        raw = element.get(name)
        if raw is not None and raw.strip():
            return raw.strip()
    for key, raw in element.attrib.items():
        if key.startswith("{") and local_name(key) in names and raw.strip():
            return raw.strip()
    return None


def text(element: Element | None) -> str | None:
    """The element's own text, stripped; None when blank."""
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def value(element: Element | None, *names: str) -> str | None:
    """An attribute among `names`, else the text of a child element so named.

    Schema versions and hand-made feeds disagree on which facts are attributes and which
    are elements; reading both keeps one mapping for all of them.
    """
    if element is None:
        return None
    found = attr(element, *names)
    if found is not None:
        return found
    for name in names:
        content = text(child(element, name))
        if content is not None:
            return content
    return None


def walk(element: Element) -> Iterator[Element]:
    """`element` and its descendants in document order, without recursion (deep input)."""
    stack = [element]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(current)))


def find_outermost(root: Element, name: str) -> list[Element]:
    """Elements named `name` anywhere under `root`, not descending into a match."""
    found: list[Element] = []
    stack = [root]
    while stack:
        current = stack.pop()
        if local_name(current.tag) == name:
            found.append(current)
            continue
        stack.extend(reversed(list(current)))
    return found
