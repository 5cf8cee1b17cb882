"""Read a whole list in a test: entries and rejections apart."""

from __future__ import annotations

from pathlib import Path

from firstline.model.watchlist import ListEntry, ListFileInfo, Rejection
from firstline.watchlists import read_list

FIXTURES = Path(__file__).parent / "fixtures"

Read = tuple[ListFileInfo, list[ListEntry], list[Rejection]]


def read_all(paths: list[Path], format_name: str) -> Read:
    info, items = read_list(paths, format_name)
    read = list(items)
    entries = [item for item in read if isinstance(item, ListEntry)]
    return info, entries, [item for item in read if isinstance(item, Rejection)]
