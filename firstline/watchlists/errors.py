"""The one error the importers raise: a file that is not the list format it claims to be."""

from __future__ import annotations

from firstline.exc import ParseError


class ListFormatError(ParseError):
    """A watchlist file cannot be read as the format asked for (wrong root, not XML, ...).

    Raised before the first entry, so that an administrator is told at once that the wrong file
    or the wrong format was chosen; damage later in a file becomes a `Rejection` instead, and
    the entries read before it are kept.
    """

    code = "list_format_error"
