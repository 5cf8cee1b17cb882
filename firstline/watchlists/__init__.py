"""Watchlist importers: published list files in, `ListEntry` and `Rejection` items out.

Domain layer only: the readers know file formats, not the database. See docs/watchlists.md.
"""

from __future__ import annotations

from firstline.watchlists.errors import ListFormatError
from firstline.watchlists.formats import FORMATS, Reader, read_list

__all__ = ["FORMATS", "ListFormatError", "Reader", "read_list"]
