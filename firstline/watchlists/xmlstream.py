"""Streaming, attack-safe XML reading shared by the XML readers.

defusedxml's iterparse refuses entity expansion and external references (a list file is input
from outside). Each record element is handed over once complete and then detached from its
parent, so a list of any size is read in the memory of one record.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from firstline.model.watchlist import Rejection
from firstline.watchlists.errors import ListFormatError

_Events = Iterator[tuple[str, Element]]


def local(tag: str) -> str:
    """The tag without its namespace: publishers move namespaces between versions."""
    return tag.rpartition("}")[2]


def child_text(element: Element, name: str) -> str | None:
    """The text of the first child with this local name, or None."""
    for child in element:
        if local(child.tag) == name:
            return child.text
    return None


def children(element: Element, name: str) -> Iterator[Element]:
    """Children with this local name, in order."""
    return (child for child in element if local(child.tag) == name)


def open_list(
    path: Path, *, root: str, records: frozenset[str]
) -> tuple[Element, Iterator[Element | Rejection]]:
    """Check the root element now; stream the record elements later.

    A file that is not XML or has the wrong root raises `ListFormatError` at once; a syntax
    error after the root becomes one `Rejection` with its line and column, and ends the stream.
    """
    events: _Events = iterparse(str(path), events=("start", "end"))
    try:
        _, top = next(events)
    except (ParseError, DefusedXmlException) as error:
        raise _format_error(path, error) from error
    except StopIteration:
        raise ListFormatError(f"{path.name}: empty file", expected=f"<{root}>") from None
    if local(top.tag) != root:
        raise ListFormatError(
            f"{path.name}: not the expected list format",
            expected=f"<{root}>",
            found=f"<{local(top.tag)}>",
        )
    return top, _records(path, events, top, records)


def _records(
    path: Path, events: _Events, top: Element, records: frozenset[str]
) -> Iterator[Element | Rejection]:
    stack = [top]
    try:
        for event, element in events:
            if event == "start":
                stack.append(element)
                continue
            stack.pop()
            if local(element.tag) in records:
                yield element
                if stack:
                    stack[-1].remove(element)
    except (ParseError, DefusedXmlException) as error:
        line, column = _position(error)
        yield Rejection(
            location=f"{path.name} line {line}, column {column}",
            reason=f"XML is malformed, reading stopped here: {error}",
            record="",
        )


def _position(error: Exception) -> tuple[int | None, int | None]:
    position = getattr(error, "position", None)
    if isinstance(position, tuple) and len(position) == 2:
        return position[0], position[1]
    return None, None


def _format_error(path: Path, error: Exception) -> ListFormatError:
    line, column = _position(error)
    # ParseError.offset is a character offset; expat gives a column, so it goes in the text.
    return ListFormatError(
        f"{path.name}: not well-formed XML, column {column} ({error})", line=line
    )
