"""Whitespace clean-up shared by the readers: lists break values across lines and pad them."""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")


def clean(text: str | None) -> str | None:
    """Trim and collapse whitespace; None for an empty value."""
    if text is None:
        return None
    collapsed = _SPACES.sub(" ", text).strip()
    return collapsed or None


def join_clean(parts: list[str | None], sep: str = ", ") -> str | None:
    """Join the non-empty cleaned parts, or None when there are none."""
    kept = [value for part in parts if (value := clean(part))]
    return sep.join(kept) or None
