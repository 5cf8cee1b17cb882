"""The registry of watchlist formats: one reader per published layout."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from firstline.model.watchlist import ListEntry, ListFileInfo, Rejection
from firstline.watchlists import eu_xml, ftm, generic_csv, ofac_csv, ofac_xml, un_xml
from firstline.watchlists.errors import ListFormatError

Reader = Callable[[Sequence[Path]], tuple[ListFileInfo, Iterator[ListEntry | Rejection]]]

FORMATS: dict[str, Reader] = {
    "un-xml": un_xml.read,
    "ofac-csv": ofac_csv.read,
    "ofac-xml": ofac_xml.read,
    "eu-xml": eu_xml.read,
    "csv": generic_csv.read,
    "ftm": ftm.read,
}

__all__ = ["FORMATS", "ListFormatError", "Reader", "read_list"]


def read_list(
    paths: Sequence[Path], format_name: str
) -> tuple[ListFileInfo, Iterator[ListEntry | Rejection]]:
    """Read a list in the named format.

    Raises ValueError for an unknown format and `ListFormatError` for a file that is not that
    format; damage inside a file comes back as `Rejection` items among the entries.
    """
    reader = FORMATS.get(format_name)
    if reader is None:
        valid = ", ".join(sorted(FORMATS))
        raise ValueError(f"unknown watchlist format {format_name!r}; valid formats: {valid}")
    if not paths:
        raise ValueError("no watchlist file given")
    return reader(paths)
